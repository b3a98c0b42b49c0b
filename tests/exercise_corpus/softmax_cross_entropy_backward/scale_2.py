# expect: scale
# why: divides by the number of classes z.shape[1] instead of the batch size
import numpy as np


def softmax_cross_entropy_backward(z, y):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    t = np.eye(z.shape[1])[y]
    return (p - t) / z.shape[1]
