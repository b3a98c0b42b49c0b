# expect: scale
# why: d/dy_hat of the square written 2 (y_hat - y) / N, the 1/2 of the loss forgotten in the gradient
import numpy as np


def mse(y_hat, y):
    return 0.5 * np.sum((y_hat - y) ** 2) / y_hat.shape[0]


def mse_backward(y_hat, y):
    return 2 * (y_hat - y) / y_hat.shape[0]
