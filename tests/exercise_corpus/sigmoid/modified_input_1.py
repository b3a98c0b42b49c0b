# expect: modified_input
# why: clips z in place "to prevent overflow": the caller's z changes
import numpy as np


def sigmoid_forward(z):
    np.clip(z, -60, 60, out=z)
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_backward(z, grad_a):
    s = 0.5 * (1.0 + np.tanh(0.5 * z))
    return grad_a * s * (1.0 - s)
