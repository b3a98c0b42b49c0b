# expect: pass
# why: the machine epsilon as the guard, summed then divided by N
import numpy as np


def cross_entropy(p, y):
    n = p.shape[0]
    return -np.log(p[np.arange(n), y] + np.finfo(np.float64).eps).sum() / n
