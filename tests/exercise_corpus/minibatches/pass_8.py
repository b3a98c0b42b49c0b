# expect: pass
# why: rng.permutation(np.arange(n)) (the same draw as rng.permutation(n)), batches by a while loop
import numpy as np


def minibatches(n, batch_size, rng):
    order = rng.permutation(np.arange(n))
    out, i = [], 0
    while i < n:
        out.append(order[i:i + batch_size])
        i += batch_size
    return out
