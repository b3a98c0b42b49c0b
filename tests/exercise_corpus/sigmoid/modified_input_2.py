# expect: modified_input
# why: grad_a *= sigma'(z) multiplies the caller's array
import numpy as np


def sigmoid_forward(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def sigmoid_backward(z, grad_a):
    s = sigmoid_forward(z)
    grad_a *= s * (1 - s)
    return grad_a
