# expect: scale
# why: derives sigma' through tanh but drops a 1/2: 0.5 (1 - tanh^2(z/2)) is 2 sigma'
import numpy as np


def sigmoid_forward(z):
    return 0.5 * (1 + np.tanh(z / 2))


def sigmoid_backward(z, grad_a):
    return grad_a * 0.5 * (1 - np.tanh(z / 2) ** 2)
