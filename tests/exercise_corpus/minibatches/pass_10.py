# expect: pass
# why: the start indices from np.arange (NumPy ints as slice bounds)
import numpy as np


def minibatches(n, batch_size, rng):
    p = rng.permutation(n)
    return [p[s:s + batch_size] for s in np.arange(0, n, batch_size)]
