# expect: wrong_axis
# why: the softmax inside divides by the sum of the whole batch (np.sum with no axis)
import numpy as np


def softmax_cross_entropy_backward(z, y):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / np.sum(e)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)
