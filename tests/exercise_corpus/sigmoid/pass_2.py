# expect: pass
# why: the tanh form, sigma(z) = (1 + tanh(z/2)) / 2, never overflows
import numpy as np


def sigmoid_forward(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def sigmoid_backward(z, grad_a):
    t = np.tanh(0.5 * z)
    return grad_a * 0.25 * (1.0 - t * t)
