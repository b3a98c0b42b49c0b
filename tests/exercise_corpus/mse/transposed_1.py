# expect: transposed
# why: column-vector habit: returns the gradient as (k, N)
import numpy as np


def mse(y_hat, y):
    return 0.5 * np.sum((y_hat - y) ** 2) / y_hat.shape[0]


def mse_backward(y_hat, y):
    d = (y_hat - y).T       # (k, N), one column per sample
    return d / d.shape[1]
