# expect: pass
# why: arange then rng.shuffle (the same draw as rng.permutation), np.split at the batch boundaries
import numpy as np


def minibatches(n, batch_size, rng):
    idx = np.arange(n)
    rng.shuffle(idx)
    return np.split(idx, np.arange(batch_size, n, batch_size))
