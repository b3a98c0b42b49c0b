# expect: pass
# why: one-hot from np.eye, (p - t) / batch_size
import numpy as np


def softmax_cross_entropy_backward(z, y):
    batch_size = z.shape[0]
    c = np.max(z, axis=1, keepdims=True)
    exp_z = np.exp(z - c)
    p = exp_z / np.sum(exp_z, axis=1, keepdims=True)
    t = np.eye(z.shape[1])[y]
    return (p - t) / batch_size
