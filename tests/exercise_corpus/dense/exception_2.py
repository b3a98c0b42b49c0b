# expect: exception
# why: keeps an all-pairs cache of 50 GB "for speed" (np.ones touches it): MemoryError
import numpy as np


def dense_forward(x, W, b):
    cache = np.ones((50_000, 50_000, 3), dtype=np.float64)   # 50 GB
    return x @ W + b + 0 * cache[0, 0, 0]


def dense_backward(x, W, grad_z):
    return grad_z @ W.T, x.T @ grad_z, grad_z.sum(axis=0)
