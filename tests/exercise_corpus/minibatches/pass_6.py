# expect: pass
# why: np.array_split at the indices b, 2b, ... (the same cut as slicing)
import numpy as np


def minibatches(n, batch_size, rng):
    return np.array_split(rng.permutation(n), range(batch_size, n, batch_size))
