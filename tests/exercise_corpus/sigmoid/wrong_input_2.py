# expect: wrong_input
# why: computes a = sigma(z), then feeds a to sigma again: sigma'(a) where sigma'(z) belongs
import numpy as np


def sigmoid_forward(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def sigmoid_backward(z, grad_a):
    a = sigmoid_forward(z)
    s = sigmoid_forward(a)
    return grad_a * s * (1 - s)
