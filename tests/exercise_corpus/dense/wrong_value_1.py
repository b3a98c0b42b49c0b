# expect: wrong_value
# why: the bias forgotten in the forward pass
import numpy as np


def dense_forward(x, W, b):
    return x @ W


def dense_backward(x, W, grad_z):
    return grad_z @ W.T, x.T @ grad_z, grad_z.sum(axis=0)
