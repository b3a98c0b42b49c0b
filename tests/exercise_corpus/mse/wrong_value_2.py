# expect: wrong_value
# why: the norm of the difference not squared
import numpy as np


def mse(y_hat, y):
    return np.linalg.norm(y_hat - y) / (2 * len(y))


def mse_backward(y_hat, y):
    return (y_hat - y) / len(y)
