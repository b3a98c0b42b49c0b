# expect: wrong_value
# why: ignores eps and uses h = 0.1 "so the difference is not too small": a central difference, but far too coarse
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    h = 0.1
    grad = np.zeros_like(x, dtype=float)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        a = f(x)
        x[idx] = old - h
        b = f(x)
        x[idx] = old
        grad[idx] = (a - b) / (2 * h)
    return grad
