# expect: transposed
# why: the forward in column form W^T x + b, never transposed back: (n_out, N)
import numpy as np


def dense_forward(x, W, b):
    return W.T @ x.T + b[:, None]


def dense_backward(x, W, grad_z):
    return grad_z @ W.T, x.T @ grad_z, grad_z.sum(axis=0)
