# expect: pass
# why: the stable two-branch form computed in float32 (astype first), whatever dtype comes in
import numpy as np


def sigmoid_forward(z):
    z = np.asarray(z, dtype=np.float32)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e)).astype(np.float32)


def sigmoid_backward(z, grad_a):
    a = sigmoid_forward(z)
    return (grad_a * a * (1 - a)).astype(np.float32)
