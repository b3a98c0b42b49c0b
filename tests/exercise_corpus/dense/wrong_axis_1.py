# expect: wrong_axis
# why: db summed over the features (axis=1) instead of over the batch
import numpy as np


def dense_forward(x, W, b):
    return x @ W + b


def dense_backward(x, W, grad_z):
    dx = grad_z @ W.T
    dW = x.T @ grad_z
    db = np.sum(grad_z, axis=1)
    return dx, dW, db
