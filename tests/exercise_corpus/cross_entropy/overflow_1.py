# expect: overflow
# why: no guard: log(0) = -inf when p[i, y_i] is exactly 0
import numpy as np


def cross_entropy(p, y):
    n = p.shape[0]
    return -np.mean(np.log(p[np.arange(n), y]))
