# expect: pass
# why: einsum for the squared norms
import numpy as np


def mse(y_hat, y):
    d = y_hat - y
    return np.einsum("ij,ij->", d, d) / (2 * d.shape[0])


def mse_backward(y_hat, y):
    return np.einsum("ij->ij", y_hat - y) / len(y)
