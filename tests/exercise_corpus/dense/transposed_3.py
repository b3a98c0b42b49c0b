# expect: transposed
# why: grad_x in column form W grad_z^T: (n_in, N), never transposed back
import numpy as np


def dense_forward(x, W, b):
    return x @ W + b


def dense_backward(x, W, grad_z):
    dx = W @ grad_z.T
    dW = x.T @ grad_z
    db = grad_z.sum(axis=0)
    return dx, dW, db
