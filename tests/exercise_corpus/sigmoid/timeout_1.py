# expect: timeout
# why: a training loop at the top of the file that never ends (while True without a break)
import numpy as np


def sigmoid_forward(z):
    return 0.5 * (1 + np.tanh(z / 2))


def sigmoid_backward(z, grad_a):
    s = sigmoid_forward(z)
    return grad_a * s * (1 - s)


w = 0.0
while True:
    w = w - 0.1 * float(sigmoid_forward(np.array([w]))[0])
