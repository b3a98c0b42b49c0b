# expect: sign
# why: (y - y_hat) / N: the derivative of the difference taken the wrong way round
import numpy as np


def mse(y_hat, y):
    return 0.5 * np.sum((y - y_hat) ** 2) / len(y)


def mse_backward(y_hat, y):
    return (y - y_hat) / len(y)
