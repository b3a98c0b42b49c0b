# expect: transposed
# why: dW = grad_z^T x: the (n_out, n_in) matrix, W's transpose
import numpy as np


def dense_forward(x, W, b):
    return x @ W + b


def dense_backward(x, W, grad_z):
    dx = grad_z @ W.T
    dW = grad_z.T @ x
    db = grad_z.sum(axis=0)
    return dx, dW, db
