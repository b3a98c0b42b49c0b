# expect: pass
# why: np.where in both directions
import numpy as np


def relu_forward(z):
    return np.where(z > 0, z, 0.0)


def relu_backward(z, grad_a):
    return np.where(z > 0, grad_a, 0.0)
