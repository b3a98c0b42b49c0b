# expect: scale
# why: the sum of -log p[i, y_i] divided by p.size (N * C) instead of N
import numpy as np


def cross_entropy(p, y):
    return -np.sum(np.log(p[np.arange(len(y)), y] + 1e-12)) / p.size
