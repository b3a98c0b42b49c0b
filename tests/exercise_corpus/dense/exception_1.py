# expect: exception
# why: grad_x = grad_z @ W (W not transposed): shapes (N, n_out) @ (n_in, n_out) do not align
import numpy as np


def dense_forward(x, W, b):
    return x @ W + b


def dense_backward(x, W, grad_z):
    dx = grad_z @ W
    dW = x.T @ grad_z
    db = grad_z.sum(axis=0)
    return dx, dW, db
