# expect: wrong_value
# why: x + eps shifts every element at once: each entry gets the directional derivative along (1, ..., 1)
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    grad = np.zeros_like(x, dtype=float)
    for idx in np.ndindex(x.shape):
        grad[idx] = (f(x + eps) - f(x - eps)) / (2 * eps)
    return grad
