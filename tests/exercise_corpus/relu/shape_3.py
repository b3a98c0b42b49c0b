# expect: shape
# why: returns a Python list (nested .tolist()) where an array belongs
import numpy as np


def relu_forward(z):
    return [[max(0.0, v) for v in row] for row in z.tolist()]


def relu_backward(z, grad_a):
    return grad_a * (z > 0)
