# expect: scale
# why: sums over the batch, the 1/N of the mean forgotten
import numpy as np


def cross_entropy(p, y):
    return -np.sum(np.log(p[np.arange(p.shape[0]), y] + 1e-7))
