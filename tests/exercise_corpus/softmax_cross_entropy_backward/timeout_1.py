# expect: timeout
# why: a while loop over the rows with the counter never incremented
import numpy as np


def softmax_cross_entropy_backward(z, y):
    n = z.shape[0]
    grad = np.zeros_like(z)
    i = 0
    while i < n:
        e = np.exp(z[i] - z[i].max())
        grad[i] = e / e.sum()
        grad[i, y[i]] -= 1
    return grad / n
