# expect: wrong_value
# why: "stable" 1 / (1 + exp(-|z|)) forgets the sign: gives sigma(|z|), wrong for z < 0
import numpy as np


def sigmoid_forward(z):
    return 1.0 / (1.0 + np.exp(-np.abs(z)))


def sigmoid_backward(z, grad_a):
    s = 0.5 * (1.0 + np.tanh(0.5 * z))
    return grad_a * s * (1.0 - s)
