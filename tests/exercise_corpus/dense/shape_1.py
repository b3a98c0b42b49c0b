# expect: shape
# why: db = grad_z, never summed over the batch
import numpy as np


def dense_forward(x, W, b):
    return x @ W + b


def dense_backward(x, W, grad_z):
    return grad_z @ W.T, x.T @ grad_z, grad_z
