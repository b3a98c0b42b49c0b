# expect: forward_difference
# why: a forward difference written on copies, f(x) evaluated once per element
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    grad = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        xh = x.copy()
        xh[idx] += eps
        grad[idx] = (f(xh) - f(x)) / eps
    return grad
