# expect: scale
# why: divides by z.size (N * C) as if the loss were a mean over every entry
import numpy as np


def softmax_cross_entropy_backward(z, y):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p / z.size
