# expect: pass
# why: element by element with math.exp and the sign test, float32 at the end
import math

import numpy as np


def _sig(v):
    if v >= 0:
        return 1.0 / (1.0 + math.exp(-v))
    e = math.exp(v)
    return e / (1.0 + e)


def sigmoid_forward(z):
    out = np.zeros(z.shape, dtype=np.float32)
    for idx in np.ndindex(z.shape):
        out[idx] = _sig(float(z[idx]))
    return out


def sigmoid_backward(z, grad_a):
    out = np.zeros(z.shape, dtype=np.float32)
    for idx in np.ndindex(z.shape):
        s = _sig(float(z[idx]))
        out[idx] = grad_a[idx] * s * (1 - s)
    return out
