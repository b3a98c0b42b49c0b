# expect: pass
# why: np.linalg.norm of each row, squared
import numpy as np


def mse(y_hat, y):
    return np.sum(np.linalg.norm(y_hat - y, axis=1) ** 2) / (2 * len(y))


def mse_backward(y_hat, y):
    grad = np.subtract(y_hat, y)
    return grad / len(y)
