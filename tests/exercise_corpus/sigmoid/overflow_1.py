# expect: overflow
# why: 1 / (1 + exp(-z)): exp(1000) overflows for z = -1000
import numpy as np


def sigmoid_forward(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_backward(z, grad_a):
    s = sigmoid_forward(z)
    return grad_a * s * (1 - s)
