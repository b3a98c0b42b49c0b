# expect: pass
# why: float() of the loss, the gradient via np.divide
import numpy as np


def mse(y_hat, y):
    d = y_hat - y
    return float(0.5 * np.mean(np.sum(d * d, axis=1)))


def mse_backward(y_hat, y):
    return np.divide(y_hat - y, y_hat.shape[0])
