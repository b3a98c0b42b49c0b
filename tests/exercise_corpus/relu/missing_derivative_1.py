# expect: missing_derivative
# why: passes grad_a straight through, the ReLU mask forgotten
import numpy as np


def relu_forward(z):
    return np.maximum(z, 0)


def relu_backward(z, grad_a):
    # relu 的导数是 1，所以直接传回去
    return grad_a.copy()
