# expect: pass
# why: a loop over the samples with np.dot for each squared norm
import numpy as np


def mse(y_hat, y):
    total = 0.0
    n = len(y_hat)
    for i in range(n):
        d = y_hat[i] - y[i]
        total += np.dot(d, d)
    return total / (2 * n)


def mse_backward(y_hat, y):
    n = len(y_hat)
    grad = np.zeros_like(y_hat)
    for i in range(n):
        grad[i] = (y_hat[i] - y[i]) / n
    return grad
