# expect: sign
# why: a minus sign slipped in (thinks the gradient should point downhill here)
import numpy as np


def relu_forward(z):
    return np.maximum(z, 0)


def relu_backward(z, grad_a):
    return -grad_a * (z > 0)
