# expect: wrong_axis
# why: normalises down the columns (axis=0): every column sums to 1, not every row
import numpy as np


def softmax(z):
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)
