# expect: scale
# why: z + |z| without the 1/2: twice the ReLU
import numpy as np


def relu_forward(z):
    return z + np.abs(z)


def relu_backward(z, grad_a):
    return grad_a * (z > 0)
