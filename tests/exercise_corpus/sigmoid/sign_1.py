# expect: sign
# why: writes sigma' = sigma (sigma - 1), the factor the wrong way round
import numpy as np


def sigmoid_forward(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def sigmoid_backward(z, grad_a):
    s = sigmoid_forward(z)
    return grad_a * s * (s - 1)
