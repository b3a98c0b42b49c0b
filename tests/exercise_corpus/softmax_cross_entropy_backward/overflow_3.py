# expect: overflow
# why: unshifted exp over the whole array: exp(1000) = inf
import numpy as np


def softmax_cross_entropy_backward(z, y):
    e = np.exp(z)
    p = e / np.sum(e, axis=1, keepdims=True)
    onehot = np.zeros_like(p)
    onehot[range(len(y)), y] = 1.0
    return (p - onehot) / len(y)
