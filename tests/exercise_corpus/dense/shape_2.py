# expect: shape
# why: returns (dW, db): grad_x left out, a 2-tuple where 3 belong
import numpy as np


def dense_forward(x, W, b):
    return x @ W + b


def dense_backward(x, W, grad_z):
    dW = x.T @ grad_z
    db = grad_z.sum(axis=0)
    return dW, db
