# expect: overflow
# why: shifts by the max of the whole batch: a row of -1000 under a row of +1000 gives 0/0
import numpy as np


def softmax_cross_entropy_backward(z, y):
    exp_z = np.exp(z - np.max(z))
    p = exp_z / exp_z.sum(axis=1, keepdims=True)
    p[np.arange(z.shape[0]), y] -= 1
    return p / z.shape[0]
