# expect: sign
# why: sigma' written as s**2 - s
import numpy as np


def sigmoid_forward(z):
    return 0.5 * (1 + np.tanh(z / 2))


def sigmoid_backward(z, grad_a):
    s = sigmoid_forward(z)
    return grad_a * (s ** 2 - s)
