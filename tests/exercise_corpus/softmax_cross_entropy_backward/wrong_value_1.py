# expect: wrong_value
# why: returns softmax(z) / N: the one-hot term forgotten
import numpy as np


def softmax_cross_entropy_backward(z, y):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return p / z.shape[0]
