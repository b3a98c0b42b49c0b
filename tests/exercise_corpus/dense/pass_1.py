# expect: pass
# why: np.dot, as in 斋藤's Affine layer
import numpy as np


def dense_forward(x, W, b):
    return np.dot(x, W) + b


def dense_backward(x, W, grad_z):
    dx = np.dot(grad_z, W.T)
    dW = np.dot(x.T, grad_z)
    db = np.sum(grad_z, axis=0)
    return dx, dW, db
