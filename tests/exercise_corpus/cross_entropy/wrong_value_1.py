# expect: wrong_value
# why: p[:, y] picks an (N, N) block, not one entry per row
import numpy as np


def cross_entropy(p, y):
    return -np.mean(np.log(p[:, y] + 1e-12))
