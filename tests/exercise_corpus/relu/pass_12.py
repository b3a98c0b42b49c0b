# expect: pass
# why: np.fmax and a float mask
import numpy as np


def relu_forward(z):
    return np.fmax(z, 0.0)


def relu_backward(z, grad_a):
    return grad_a * (z > 0).astype(float)
