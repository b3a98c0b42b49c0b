# expect: wrong_value
# why: mixes in the binary cross-entropy: -log(1 - p) for the other classes added
import numpy as np


def cross_entropy(p, y):
    n = p.shape[0]
    t = np.eye(p.shape[1])[y]
    return -np.sum(t * np.log(p + 1e-12) + (1 - t) * np.log(1 - p + 1e-12)) / n
