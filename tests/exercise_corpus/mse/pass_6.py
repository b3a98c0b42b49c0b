# expect: pass
# why: np.square, divided by the number of rows and by 2 in two steps
import numpy as np


def mse(y_hat, y):
    return np.square(y_hat - y).sum() / y.shape[0] / 2


def mse_backward(y_hat, y):
    return np.true_divide(y_hat - y, y.shape[0])
