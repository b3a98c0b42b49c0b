# expect: modified_input
# why: z *= 0.5 before the tanh form: the caller's z is halved
import numpy as np


def sigmoid_forward(z):
    z *= 0.5
    return 0.5 * (1 + np.tanh(z))


def sigmoid_backward(z, grad_a):
    s = 0.5 * (1 + np.tanh(0.5 * z))
    return grad_a * s * (1 - s)
