# expect: wrong_input
# why: sigma'(z) written as z (1 - z): the formula for the output used on the input
import numpy as np


def sigmoid_forward(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def sigmoid_backward(z, grad_a):
    return grad_a * z * (1 - z)
