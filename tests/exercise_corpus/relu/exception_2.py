# expect: exception
# why: Python's max on an array ("truth value of an array is ambiguous")
import numpy as np


def relu_forward(z):
    return max(0, z)


def relu_backward(z, grad_a):
    return grad_a * (z > 0)
