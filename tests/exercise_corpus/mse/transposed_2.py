# expect: transposed
# why: the gradient in column form (y_hat.T - y.T) / N, one column per sample
import numpy as np


def mse(y_hat, y):
    return 0.5 * np.sum((y_hat - y) ** 2) / len(y)


def mse_backward(y_hat, y):
    return (y_hat.T - y.T) / len(y)
