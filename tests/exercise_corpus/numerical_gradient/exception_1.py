# expect: exception
# why: written for 1-D x only: x[i] for i up to x.size fails on a matrix (IndexError)
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    grad = np.zeros_like(x, dtype=float)
    for i in range(x.size):
        tmp = x[i]
        x[i] = tmp + eps
        fxh1 = f(x)
        x[i] = tmp - eps
        fxh2 = f(x)
        grad[i] = (fxh1 - fxh2) / (2 * eps)
        x[i] = tmp
    return grad
