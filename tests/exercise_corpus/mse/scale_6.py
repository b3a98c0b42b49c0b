# expect: scale
# why: divides by y.size (N * k) in the loss and in the gradient
import numpy as np


def mse(y_hat, y):
    return np.sum((y_hat - y) ** 2) / (2 * y.size)


def mse_backward(y_hat, y):
    return (y_hat - y) / y.size
