# expect: wrong_value
# why: absolute values where squares belong (an L1 loss)
import numpy as np


def mse(y_hat, y):
    return 0.5 * np.sum(np.abs(y_hat - y)) / len(y)


def mse_backward(y_hat, y):
    return (y_hat - y) / len(y)
