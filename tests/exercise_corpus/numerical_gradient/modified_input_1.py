# expect: modified_input
# why: works on x and never puts x back: x leaves the function shifted by eps
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    grad = np.zeros_like(x, dtype=float)
    for idx in np.ndindex(x.shape):
        tmp = x[idx]
        x[idx] = tmp + eps
        fxh1 = f(x)
        x[idx] = tmp - eps
        fxh2 = f(x)
        grad[idx] = (fxh1 - fxh2) / (2 * eps)
    return grad
