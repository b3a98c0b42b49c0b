# expect: shape
# why: the gradient flattened with ravel(): (N*k,) where (N, k) belongs
import numpy as np


def mse(y_hat, y):
    return 0.5 * np.sum((y_hat - y) ** 2) / len(y)


def mse_backward(y_hat, y):
    return (y_hat - y).ravel() / len(y)
