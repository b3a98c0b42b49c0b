# expect: wrong_value
# why: the mask inverted (keeps the gradient where z < 0)
import numpy as np


def relu_forward(z):
    return np.maximum(z, 0)


def relu_backward(z, grad_a):
    return grad_a * (z < 0)
