# expect: missing_derivative
# why: returns sigma'(z) itself; the upstream gradient grad_a is never multiplied in
import numpy as np


def sigmoid_forward(z):
    return 0.5 * (1 + np.tanh(z / 2))


def sigmoid_backward(z, grad_a):
    s = sigmoid_forward(z)
    return s * (1 - s)
