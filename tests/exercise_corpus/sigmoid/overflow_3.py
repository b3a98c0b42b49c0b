# expect: overflow
# why: clipped at +-500, safe in float64, but exp(500) overflows float32 (max ~ e^88)
import numpy as np


def sigmoid_forward(z):
    z = np.clip(z, -500, 500)
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_backward(z, grad_a):
    s = sigmoid_forward(z)
    return grad_a * s * (1.0 - s)
