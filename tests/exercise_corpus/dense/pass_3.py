# expect: pass
# why: a loop over the samples, summing outer products for dW
import numpy as np


def dense_forward(x, W, b):
    z = np.zeros((x.shape[0], W.shape[1]))
    for i in range(x.shape[0]):
        z[i] = x[i] @ W + b
    return z


def dense_backward(x, W, grad_z):
    grad_x = np.zeros_like(x, dtype=float)
    grad_W = np.zeros_like(W, dtype=float)
    grad_b = np.zeros(W.shape[1])
    for i in range(x.shape[0]):
        grad_x[i] = W @ grad_z[i]
        grad_W += np.outer(x[i], grad_z[i])
        grad_b += grad_z[i]
    return grad_x, grad_W, grad_b
