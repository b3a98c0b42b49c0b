# expect: forward_difference
# why: (f(x + h) - f(x)) / h, the one-sided difference
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    grad = np.zeros_like(x, dtype=float)
    fx = f(x)
    for idx in np.ndindex(x.shape):
        tmp = x[idx]
        x[idx] = tmp + eps
        grad[idx] = (f(x) - fx) / eps
        x[idx] = tmp
    return grad
