# expect: shape
# why: returns the flat gradient (x.size,), never reshaped to x's shape
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    flat = x.reshape(-1)
    grad = np.zeros(flat.size)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        a = f(x)
        flat[i] = old - eps
        b = f(x)
        flat[i] = old
        grad[i] = (a - b) / (2 * eps)
    return grad
