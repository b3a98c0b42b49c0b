# expect: not_shuffled
# why: shuffles a copy, then cuts the original order
import numpy as np


def minibatches(n, batch_size, rng):
    idx = np.arange(n)
    shuffled = rng.permutation(idx)      # 打乱
    batches = []
    for i in range(0, n, batch_size):
        batches.append(idx[i:i + batch_size])
    return batches
