# expect: modified_input
# why: np.multiply(grad_a, mask, out=grad_a) writes the result into the caller's gradient
import numpy as np


def relu_forward(z):
    return np.maximum(z, 0)


def relu_backward(z, grad_a):
    return np.multiply(grad_a, z > 0, out=grad_a)
