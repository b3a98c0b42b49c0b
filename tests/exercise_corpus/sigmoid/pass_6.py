# expect: pass
# why: right, but prints a million debugging lines when the file is imported
import numpy as np

for i in range(1_000_000):
    print("调试", i)


def sigmoid_forward(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def sigmoid_backward(z, grad_a):
    s = sigmoid_forward(z)
    return grad_a * s * (1 - s)
