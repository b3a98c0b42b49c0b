# expect: pass
# why: an extra keyword argument with a default (debug=False) on both functions
import numpy as np


def dense_forward(x, W, b, debug=False):
    z = x @ W + b
    if debug:
        print("z:", z.shape)
    return z


def dense_backward(x, W, grad_z, debug=False):
    grads = (grad_z @ W.T, x.T @ grad_z, grad_z.sum(axis=0))
    if debug:
        print([g.shape for g in grads])
    return grads
