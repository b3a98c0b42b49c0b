# expect: shape
# why: returns the per-sample losses (N,), not their mean
import numpy as np


def cross_entropy(p, y):
    return -np.log(p[np.arange(p.shape[0]), y] + 1e-12)
