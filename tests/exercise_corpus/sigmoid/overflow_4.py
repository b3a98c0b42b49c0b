# expect: overflow
# why: a stable forward, but the backward writes sigma' as e^-z / (1 + e^-z)^2
import numpy as np


def sigmoid_forward(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def sigmoid_backward(z, grad_a):
    e = np.exp(-z)
    return grad_a * e / (1 + e) ** 2
