# expect: not_shuffled
# why: rng.shuffle(idx.copy()) shuffles a copy that is thrown away
import numpy as np


def minibatches(n, batch_size, rng):
    idx = np.arange(n)
    rng.shuffle(idx.copy())
    return [idx[s:s + batch_size] for s in range(0, n, batch_size)]
