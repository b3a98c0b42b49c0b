# expect: timeout
# why: a while loop over the elements that never advances its index
import numpy as np


def relu_forward(z):
    return np.maximum(z, 0)


def relu_backward(z, grad_a):
    flat_z = z.ravel()
    out = grad_a.ravel().copy()
    i = 0
    while i < flat_z.size:
        if flat_z[i] <= 0:
            out[i] = 0
    return out.reshape(z.shape)
