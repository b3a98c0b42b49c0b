# expect: wrong_value
# why: np.abs(z) as the forward pass (negatives flipped, not zeroed)
import numpy as np


def relu_forward(z):
    return np.abs(z)


def relu_backward(z, grad_a):
    return grad_a * (z > 0)
