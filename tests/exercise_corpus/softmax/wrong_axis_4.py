# expect: wrong_axis
# why: np.apply_along_axis(f, 0, z) applies the 1-D softmax to each column
import numpy as np


def _softmax_1d(v):
    e = np.exp(v - v.max())
    return e / e.sum()


def softmax(z):
    return np.apply_along_axis(_softmax_1d, 0, z)
