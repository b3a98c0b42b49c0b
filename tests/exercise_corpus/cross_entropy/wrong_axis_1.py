# expect: wrong_axis
# why: p[:, y] takes column y_j of every row, an (N, N) block, and averages over both axes
import numpy as np


def cross_entropy(p, y):
    return -np.mean(np.log(p[:, y] + 1e-12))
