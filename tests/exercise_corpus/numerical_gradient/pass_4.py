# expect: pass
# why: one working copy, a unit vector per coordinate (e_i), float() on f's result
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    x0 = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x0)
    e = np.zeros_like(x0)
    for i in range(x0.size):
        e.flat[i] = eps
        grad.flat[i] = (float(f(x0 + e)) - float(f(x0 - e))) / (2.0 * eps)
        e.flat[i] = 0.0
    return grad
