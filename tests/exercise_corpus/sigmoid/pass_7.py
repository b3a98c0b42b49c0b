# expect: pass
# why: scipy.special.expit, the library's stable sigmoid
import numpy as np
from scipy.special import expit


def sigmoid_forward(z):
    return expit(z)


def sigmoid_backward(z, grad_a):
    s = expit(z)
    return grad_a * s * (1 - s)
