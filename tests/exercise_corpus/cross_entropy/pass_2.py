# expect: pass
# why: np.clip instead of an additive guard
import numpy as np


def cross_entropy(p, y):
    picked = p[np.arange(len(y)), y]
    return float(-np.log(np.clip(picked, 1e-12, 1.0)).mean())
