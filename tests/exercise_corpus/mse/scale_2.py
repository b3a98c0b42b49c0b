# expect: scale
# why: the 1/2 of the loss forgotten
import numpy as np


def mse(y_hat, y):
    return np.sum((y_hat - y) ** 2) / y_hat.shape[0]


def mse_backward(y_hat, y):
    return (y_hat - y) / y_hat.shape[0]
