# expect: pass
# why: the stable two-branch form with masks (no exp of a large positive number anywhere)
import numpy as np


def sigmoid_forward(z):
    out = np.empty_like(z)
    pos = z >= 0
    neg = ~pos
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    e = np.exp(z[neg])
    out[neg] = e / (1.0 + e)
    return out


def sigmoid_backward(z, grad_a):
    s = sigmoid_forward(z)
    return grad_a * s * (1.0 - s)
