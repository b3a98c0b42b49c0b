# expect: missing_derivative
# why: returns grad_a unchanged: sigma' left out of the chain rule
import numpy as np


def sigmoid_forward(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def sigmoid_backward(z, grad_a):
    grad_z = grad_a.copy()
    return grad_z
