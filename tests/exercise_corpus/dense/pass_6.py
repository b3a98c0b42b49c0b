# expect: pass
# why: np.matmul forward with b[None, :], np.tensordot for the backward
import numpy as np


def dense_forward(x, W, b):
    return np.matmul(x, W) + b[None, :]


def dense_backward(x, W, grad_z):
    grad_x = np.tensordot(grad_z, W, axes=([1], [1]))
    grad_W = np.tensordot(x, grad_z, axes=([0], [0]))
    grad_b = grad_z.sum(axis=0)
    return grad_x, grad_W, grad_b
