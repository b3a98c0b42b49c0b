# expect: scale
# why: column-vector habit: divides by y.shape[1] (the outputs) where the samples are y.shape[0]
import numpy as np


def mse(y_hat, y):
    return np.sum((y - y_hat) ** 2) / (y.shape[1] * 2.0)


def mse_backward(y_hat, y):
    return (y_hat - y) / y_hat.shape[0]
