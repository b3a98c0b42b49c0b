# expect: sign
# why: the minus sign forgotten: a negative loss
import numpy as np


def cross_entropy(p, y):
    return np.mean(np.log(p[np.arange(p.shape[0]), y] + 1e-12))
