# expect: shape
# why: the loss summed per sample only: returns an (N,) vector, not a number
import numpy as np


def mse(y_hat, y):
    return 0.5 * np.sum((y_hat - y) ** 2, axis=1)


def mse_backward(y_hat, y):
    return (y_hat - y) / y_hat.shape[0]
