# expect: overflow
# why: the "stable" np.where(z >= 0, 1/(1+e^-z), e^z/(1+e^z)) evaluates both branches: exp(1000) overflows
import numpy as np


def sigmoid_forward(z):
    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))


def sigmoid_backward(z, grad_a):
    s = sigmoid_forward(z)
    return grad_a * s * (1 - s)
