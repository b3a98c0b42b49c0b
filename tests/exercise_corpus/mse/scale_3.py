# expect: scale
# why: the gradient without the 1/N of the batch mean
import numpy as np


def mse(y_hat, y):
    return 0.5 * np.sum((y_hat - y) ** 2) / y_hat.shape[0]


def mse_backward(y_hat, y):
    return y_hat - y
