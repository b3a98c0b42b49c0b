# expect: pass
# why: the textbook sum with 1/(2N), gradient (y_hat - y) / N
import numpy as np


def mse(y_hat, y):
    n = y_hat.shape[0]
    return 0.5 * np.sum((y_hat - y) ** 2) / n


def mse_backward(y_hat, y):
    return (y_hat - y) / y_hat.shape[0]
