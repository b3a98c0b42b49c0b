# expect: shape
# why: np.squeeze "to tidy the shape": with N = 1 the batch axis disappears
import numpy as np


def dense_forward(x, W, b):
    return np.squeeze(np.dot(x, W) + b)


def dense_backward(x, W, grad_z):
    return np.squeeze(grad_z @ W.T), x.T @ grad_z, grad_z.sum(axis=0)
