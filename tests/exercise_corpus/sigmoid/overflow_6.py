# expect: overflow
# why: 1 / (1 + np.e ** (-z)): e ** 1000 overflows
import numpy as np


def sigmoid_forward(z):
    return 1 / (1 + np.e ** (-z))


def sigmoid_backward(z, grad_a):
    s = 0.5 * (1 + np.tanh(z / 2))
    return grad_a * s * (1 - s)
