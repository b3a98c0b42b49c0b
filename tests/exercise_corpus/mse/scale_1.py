# expect: scale
# why: np.mean((y_hat - y)**2): divides by N*k and drops the 1/2
import numpy as np


def mse(y_hat, y):
    return np.mean((y_hat - y) ** 2)


def mse_backward(y_hat, y):
    return (y_hat - y) / y_hat.shape[0]
