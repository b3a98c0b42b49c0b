# expect: pass
# why: z.clip(min=0) and np.greater for the mask
import numpy as np


def relu_forward(z):
    return z.clip(min=0)


def relu_backward(z, grad_a):
    return grad_a * np.greater(z, 0)
