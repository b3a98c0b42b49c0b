# expect: wrong_input
# why: the mask built from grad_a (dout < 0 set to 0) where it must come from z
import numpy as np


def relu_forward(z):
    return np.maximum(z, 0)


def relu_backward(z, grad_a):
    dout = grad_a.copy()
    dout[dout < 0] = 0
    return dout
