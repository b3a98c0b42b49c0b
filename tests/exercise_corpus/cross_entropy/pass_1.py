# expect: pass
# why: fancy indexing, a 1e-12 guard inside the log
import numpy as np


def cross_entropy(p, y):
    n = p.shape[0]
    return -np.mean(np.log(p[np.arange(n), y] + 1e-12))
