# expect: wrong_value
# why: a leaky ReLU, np.maximum(z, 0.01 z): negatives kept at 1 %
import numpy as np


def relu_forward(z):
    return np.maximum(z, 0.01 * z)


def relu_backward(z, grad_a):
    return grad_a * np.where(z > 0, 1.0, 0.01)
