# expect: exception
# why: tabs and spaces mixed in one block: TabError when the file is read
import numpy as np


def mse(y_hat, y):
    n = y_hat.shape[0]
	return 0.5 * np.sum((y_hat - y) ** 2) / n


def mse_backward(y_hat, y):
    return (y_hat - y) / y_hat.shape[0]
