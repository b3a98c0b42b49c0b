# expect: pass
# why: np.dot(W.T, x.T).T in the forward (column form, transposed back)
import numpy as np


def dense_forward(x, W, b):
    return np.dot(W.T, x.T).T + b


def dense_backward(x, W, grad_z):
    return np.dot(W, grad_z.T).T, np.dot(x.T, grad_z), np.sum(grad_z, 0)
