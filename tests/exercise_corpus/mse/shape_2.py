# expect: shape
# why: the gradient averaged over the batch: (k,) where (N, k) belongs
import numpy as np


def mse(y_hat, y):
    return 0.5 * np.sum((y_hat - y) ** 2) / y_hat.shape[0]


def mse_backward(y_hat, y):
    return np.mean(y_hat - y, axis=0)
