# expect: pass
# why: never touches x: evaluates f on a fresh copy for each perturbation (np.ndindex)
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    grad = np.empty(x.shape)
    for idx in np.ndindex(x.shape):
        xp = x.astype(float)
        xm = x.astype(float)
        xp[idx] += eps
        xm[idx] -= eps
        grad[idx] = (float(f(xp)) - float(f(xm))) / (2 * eps)
    return grad
