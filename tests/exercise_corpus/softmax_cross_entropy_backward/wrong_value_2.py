# expect: wrong_value
# why: labels taken as 1-based (MATLAB habit): the one-hot is put at y - 1
import numpy as np


def softmax_cross_entropy_backward(z, y):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    t = np.eye(z.shape[1])[y - 1]
    return (p - t) / z.shape[0]
