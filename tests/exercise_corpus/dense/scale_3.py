# expect: scale
# why: divides grad_x by the batch size too ("everything gets 1/N")
import numpy as np


def dense_forward(x, W, b):
    return x @ W + b


def dense_backward(x, W, grad_z):
    n = x.shape[0]
    return grad_z @ W.T / n, x.T @ grad_z, grad_z.sum(axis=0)
