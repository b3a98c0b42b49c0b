# expect: sign
# why: (f(x - h) - f(x + h)) / 2h, the difference flipped
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    grad = np.zeros_like(x, dtype=float)
    for idx in np.ndindex(x.shape):
        tmp = x[idx]
        x[idx] = tmp - eps
        left = f(x)
        x[idx] = tmp + eps
        right = f(x)
        x[idx] = tmp
        grad[idx] = (left - right) / (2 * eps)
    return grad
