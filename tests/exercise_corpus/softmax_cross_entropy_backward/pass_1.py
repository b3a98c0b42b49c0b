# expect: pass
# why: stable softmax, subtract 1 at the labels, divide by N
import numpy as np


def softmax_cross_entropy_backward(z, y):
    n = z.shape[0]
    e = np.exp(z - z.max(axis=1, keepdims=True))
    grad = e / e.sum(axis=1, keepdims=True)
    grad[np.arange(n), y] -= 1
    return grad / n
