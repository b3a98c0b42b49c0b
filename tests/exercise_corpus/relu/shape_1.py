# expect: shape
# why: np.max(z, 0) (a column maximum) where np.maximum(z, 0) belongs
import numpy as np


def relu_forward(z):
    return np.max(z, 0)


def relu_backward(z, grad_a):
    return grad_a * (z > 0)
