# expect: shape
# why: returns (grad, loss), a 2-tuple where one array belongs
import numpy as np


def softmax_cross_entropy_backward(z, y):
    n = z.shape[0]
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(p[np.arange(n), y] + 1e-12))
    p[np.arange(n), y] -= 1
    return p / n, loss
