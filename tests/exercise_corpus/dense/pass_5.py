# expect: pass
# why: float32 arithmetic throughout
import numpy as np


def dense_forward(x, W, b):
    return x.astype(np.float32) @ W.astype(np.float32) + b.astype(np.float32)


def dense_backward(x, W, grad_z):
    g = grad_z.astype(np.float32)
    return (g @ W.T.astype(np.float32), x.T.astype(np.float32) @ g, g.sum(axis=0))
