# expect: modified_input
# why: grad_a *= (z > 0) masks the caller's gradient in place
import numpy as np


def relu_forward(z):
    return np.maximum(z, 0)


def relu_backward(z, grad_a):
    grad_a *= (z > 0)
    return grad_a
