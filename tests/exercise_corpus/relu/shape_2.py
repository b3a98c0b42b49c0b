# expect: shape
# why: forgot the return: relu_forward gives None
import numpy as np


def relu_forward(z):
    a = np.maximum(z, 0)


def relu_backward(z, grad_a):
    return grad_a * (z > 0)
