# expect: pass
# why: the same np.where, with np.errstate silencing the branch that is thrown away (results finite, no warning)
import numpy as np


def sigmoid_forward(z):
    with np.errstate(over="ignore", invalid="ignore"):
        return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))


def sigmoid_backward(z, grad_a):
    s = sigmoid_forward(z)
    return grad_a * s * (1 - s)
