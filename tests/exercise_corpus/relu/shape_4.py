# expect: shape
# why: sums the backward over the batch (as if it were a bias gradient): (n,) where (N, n) belongs
import numpy as np


def relu_forward(z):
    return np.maximum(z, 0)


def relu_backward(z, grad_a):
    return np.sum(grad_a * (z > 0), axis=0)
