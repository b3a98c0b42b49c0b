# expect: scale
# why: np.log2 (bits) where the natural log belongs: off by 1/ln 2
import numpy as np


def cross_entropy(p, y):
    return -np.mean(np.log2(np.clip(p[np.arange(len(y)), y], 1e-12, None)))
