# expect: pass
# why: the one-hot as a boolean comparison (np.arange(C) == y[:, None])
import numpy as np


def softmax_cross_entropy_backward(z, y):
    shifted = z - z.max(axis=1, keepdims=True)
    p = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    onehot = np.arange(z.shape[1]) == y[:, None]
    return (p - onehot) / z.shape[0]
