# expect: missing_derivative
# why: returns relu'(z) alone, the upstream gradient grad_a never multiplied in
import numpy as np


def relu_forward(z):
    return np.maximum(z, 0)


def relu_backward(z, grad_a):
    grad = np.zeros_like(z)
    grad[z > 0] = 1
    return grad
