# expect: scale
# why: dW divided by the batch size once more
import numpy as np


def dense_forward(x, W, b):
    return x @ W + b


def dense_backward(x, W, grad_z):
    n = x.shape[0]
    dx = grad_z @ W.T
    dW = x.T @ grad_z / n          # 除以 batch_size 取平均
    db = grad_z.sum(axis=0)
    return dx, dW, db
