# expect: pass
# why: np.clip(z, 0, None) and the sign of the output as the mask
import numpy as np


def relu_forward(z):
    return np.clip(z, 0, None)


def relu_backward(z, grad_a):
    return grad_a * np.sign(np.clip(z, 0, None))
