# expect: pass
# why: (z + |z|) / 2 and np.heaviside
import numpy as np


def relu_forward(z):
    return 0.5 * (z + np.abs(z))


def relu_backward(z, grad_a):
    return grad_a * np.heaviside(z, 0.0)
