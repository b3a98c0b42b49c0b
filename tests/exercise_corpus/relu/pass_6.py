# expect: pass
# why: the mask taken from the output a = relu(z) (a > 0 where z > 0)
import numpy as np


def relu_forward(z):
    return np.maximum(z, 0)


def relu_backward(z, grad_a):
    a = relu_forward(z)
    return np.where(a > 0, grad_a, 0.0)
