# expect: pass
# why: column-vector habit (z = W^T x + b per column), transposed back at the end
import numpy as np


def dense_forward(x, W, b):
    zt = W.T @ x.T + b.reshape(-1, 1)    # (n_out, N)
    return zt.T                           # (N, n_out)


def dense_backward(x, W, grad_z):
    dzt = grad_z.T                        # (n_out, N)
    grad_x = (W @ dzt).T                  # (N, n_in)
    grad_W = (dzt @ x).T                  # (n_in, n_out)
    grad_b = dzt.sum(axis=1)              # (n_out,)
    return grad_x, grad_W, grad_b
