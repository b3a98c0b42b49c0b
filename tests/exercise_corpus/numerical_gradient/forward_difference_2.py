# expect: forward_difference
# why: the backward one-sided difference (f(x) - f(x - h)) / h
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    grad = np.zeros(x.shape)
    base = f(x)
    for i in range(x.size):
        xm = x.astype(float).copy()
        xm.flat[i] -= eps
        grad.flat[i] = (base - f(xm)) / eps
    return grad
