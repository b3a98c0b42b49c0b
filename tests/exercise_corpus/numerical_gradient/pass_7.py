# expect: pass
# why: one unit direction per coordinate from np.eye, reshaped to x's shape
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    directions = np.eye(x.size).reshape((x.size,) + x.shape)
    values = [(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in directions]
    return np.array(values).reshape(x.shape)
