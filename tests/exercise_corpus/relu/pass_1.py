# expect: pass
# why: the textbook form, np.maximum and a boolean mask
import numpy as np


def relu_forward(z):
    return np.maximum(z, 0)


def relu_backward(z, grad_a):
    return grad_a * (z > 0)
