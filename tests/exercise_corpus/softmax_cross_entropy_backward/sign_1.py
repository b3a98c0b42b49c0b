# expect: sign
# why: (onehot - p) / N: the gradient of the negated loss
import numpy as np


def softmax_cross_entropy_backward(z, y):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    t = np.eye(z.shape[1])[y]
    return (t - p) / z.shape[0]
