# expect: timeout
# why: np.nditer loop without it.iternext(): the iterator never finishes
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    grad = np.zeros_like(x, dtype=float)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    while not it.finished:
        idx = it.multi_index
        tmp = x[idx]
        x[idx] = tmp + eps
        fxh1 = f(x)
        x[idx] = tmp - eps
        fxh2 = f(x)
        grad[idx] = (fxh1 - fxh2) / (2 * eps)
        x[idx] = tmp
    return grad
