# expect: pass
# why: the one-line stable form exp(min(z, 0)) / (1 + exp(-|z|))
import numpy as np


def sigmoid_forward(z):
    return np.exp(np.minimum(z, 0)) / (1 + np.exp(-np.abs(z)))


def sigmoid_backward(z, grad_a):
    e = np.exp(-np.abs(z))
    return grad_a * e / (1 + e) ** 2
