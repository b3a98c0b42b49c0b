# expect: scale
# why: the mean over each row's k outputs, then the sum over samples: divides by k where N belongs
import numpy as np


def mse(y_hat, y):
    return 0.5 * np.sum(np.mean((y_hat - y) ** 2, axis=1))


def mse_backward(y_hat, y):
    return (y_hat - y) / len(y)
