# expect: wrong_axis
# why: the max for the shift taken over axis 0 (per column): a per-column shift changes each row's softmax
import numpy as np


def softmax(z):
    e = np.exp(z - z.max(axis=0))
    return e / e.sum(axis=1, keepdims=True)
