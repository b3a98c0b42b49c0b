# expect: exception
# why: the row sums without keepdims: (N, C) / (N,) does not broadcast
import numpy as np


def softmax(z):
    e = np.exp(z - np.max(z, axis=1, keepdims=True))
    return e / np.sum(e, axis=1)
