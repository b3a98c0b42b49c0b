# expect: modified_input
# why: y_hat -= y; y_hat /= N: the gradient computed in the caller's prediction array
import numpy as np


def mse(y_hat, y):
    return 0.5 * np.sum((y_hat - y) ** 2) / y_hat.shape[0]


def mse_backward(y_hat, y):
    n = y_hat.shape[0]
    y_hat -= y
    y_hat /= n
    return y_hat
