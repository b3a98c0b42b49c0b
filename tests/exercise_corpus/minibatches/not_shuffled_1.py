# expect: not_shuffled
# why: np.arange(n) cut in order: the same batches every epoch
import numpy as np


def minibatches(n, batch_size, rng):
    idx = np.arange(n)
    return [idx[i:i + batch_size] for i in range(0, n, batch_size)]
