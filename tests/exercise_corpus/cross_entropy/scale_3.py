# expect: scale
# why: log10 instead of the natural log: off by 1/ln 10
import numpy as np


def cross_entropy(p, y):
    picked = p[np.arange(p.shape[0]), y]
    return -np.mean(np.log10(picked + 1e-12))
