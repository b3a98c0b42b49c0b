# expect: modified_input
# why: y_hat -= y inside the loss: the caller's predictions become the residuals
import numpy as np


def mse(y_hat, y):
    y_hat -= y
    return 0.5 * np.sum(y_hat ** 2) / len(y)


def mse_backward(y_hat, y):
    return (y_hat - y) / len(y)
