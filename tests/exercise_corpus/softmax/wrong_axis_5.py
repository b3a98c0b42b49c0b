# expect: wrong_axis
# why: the shift per row is right, the division by the column sums is not
import numpy as np


def softmax(z):
    e = np.exp(z - np.max(z, axis=1, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)
