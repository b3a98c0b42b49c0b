# expect: pass
# why: np.choose picks p[i, y_i]; the guard is np.maximum with 1e-10
import numpy as np


def cross_entropy(p, y):
    picked = np.choose(y, p.T)
    return -np.log(np.maximum(picked, 1e-10)).mean()
