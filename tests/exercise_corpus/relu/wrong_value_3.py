# expect: wrong_value
# why: casts the output to int "because ReLU is a step": the fractions are cut off
import numpy as np


def relu_forward(z):
    return np.maximum(z, 0).astype(int)


def relu_backward(z, grad_a):
    return grad_a * (z > 0)
