# expect: pass
# why: einsum with the indices spelled out
import numpy as np


def dense_forward(x, W, b):
    return np.einsum("ni,io->no", x, W) + b


def dense_backward(x, W, grad_z):
    grad_x = np.einsum("no,io->ni", grad_z, W)
    grad_W = np.einsum("ni,no->io", x, grad_z)
    grad_b = np.einsum("no->o", grad_z)
    return grad_x, grad_W, grad_b
