# expect: wrong_value
# why: (tanh(z) + 1) / 2, the half inside the tanh forgotten: that is sigma(2z)
import numpy as np


def sigmoid_forward(z):
    return (np.tanh(z) + 1) / 2


def sigmoid_backward(z, grad_a):
    s = 0.5 * (1 + np.tanh(z / 2))
    return grad_a * s * (1 - s)
