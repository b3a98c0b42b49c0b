# expect: forward_difference
# why: the forward difference over x.flat, restored each time
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    grad = np.zeros(x.size)
    f0 = f(x)
    for i in range(x.size):
        old = x.flat[i]
        x.flat[i] = old + eps
        grad[i] = (f(x) - f0) / eps
        x.flat[i] = old
    return grad.reshape(x.shape)
