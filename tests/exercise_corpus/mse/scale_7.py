# expect: scale
# why: the mean over samples of the squared norms, the 1/2 forgotten
import numpy as np


def mse(y_hat, y):
    return np.mean(np.sum((y_hat - y) ** 2, axis=1))


def mse_backward(y_hat, y):
    return (y_hat - y) / y.shape[0]
