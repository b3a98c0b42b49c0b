# expect: wrong_input
# why: the arguments mixed up: sigma' evaluated at grad_a instead of at z
import numpy as np


def sigmoid_forward(z):
    return 0.5 * (1 + np.tanh(z / 2))


def sigmoid_backward(z, grad_a):
    s = sigmoid_forward(grad_a)
    return grad_a * s * (1 - s)
