# expect: modified_input
# why: np.maximum(z, 0, out=z) "to save memory" overwrites the caller's z
import numpy as np


def relu_forward(z):
    return np.maximum(z, 0, out=z)


def relu_backward(z, grad_a):
    return grad_a * (z > 0)
