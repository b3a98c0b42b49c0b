# expect: scale
# why: / 2 * eps where / (2 * eps) belongs (operator precedence): off by eps squared
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    grad = np.zeros_like(x, dtype=float)
    for idx in np.ndindex(x.shape):
        tmp = x[idx]
        x[idx] = tmp + eps
        fxh1 = f(x)
        x[idx] = tmp - eps
        fxh2 = f(x)
        x[idx] = tmp
        grad[idx] = (fxh1 - fxh2) / 2 * eps
    return grad
