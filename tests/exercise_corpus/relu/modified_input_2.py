# expect: modified_input
# why: the mask written into grad_a itself (dout[mask] = 0 on the caller's array)
import numpy as np


def relu_forward(z):
    return np.maximum(0, z)


def relu_backward(z, grad_a):
    mask = (z <= 0)
    grad_a[mask] = 0
    dx = grad_a
    return dx
