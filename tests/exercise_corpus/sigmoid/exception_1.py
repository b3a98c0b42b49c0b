# expect: exception
# why: math.exp on an array: TypeError
import math

import numpy as np


def sigmoid_forward(z):
    return 1 / (1 + math.exp(-z))


def sigmoid_backward(z, grad_a):
    s = sigmoid_forward(z)
    return grad_a * s * (1 - s)
