# expect: overflow
# why: softmax without the max shift: exp(1000) = inf, inf/inf = nan
import numpy as np


def softmax_cross_entropy_backward(z, y):
    exp_z = np.exp(z)
    p = exp_z / exp_z.sum(axis=1, keepdims=True)
    p[np.arange(z.shape[0]), y] -= 1
    return p / z.shape[0]
