# expect: pass
# why: enumerate(x.flat) for the values, x.flat[i] to perturb and restore
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    grad = np.zeros(x.shape)
    for i, xi in enumerate(x.flat):
        x.flat[i] = xi + eps
        fp = f(x)
        x.flat[i] = xi - eps
        fm = f(x)
        x.flat[i] = xi
        grad.flat[i] = (fp - fm) / (2 * eps)
    return grad
