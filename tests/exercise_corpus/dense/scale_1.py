# expect: scale
# why: db as the mean over the batch (an extra 1/N: the loss already divided by N)
import numpy as np


def dense_forward(x, W, b):
    return x @ W + b


def dense_backward(x, W, grad_z):
    dx = grad_z @ W.T
    dW = x.T @ grad_z
    db = np.mean(grad_z, axis=0)
    return dx, dW, db
