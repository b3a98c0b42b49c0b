# expect: wrong_value
# why: the square of the sum instead of the sum of the squares
import numpy as np


def mse(y_hat, y):
    return 0.5 * np.sum(y_hat - y) ** 2 / y_hat.shape[0]


def mse_backward(y_hat, y):
    return (y_hat - y) / y_hat.shape[0]
