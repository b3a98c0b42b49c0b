# expect: modified_input
# why: z -= max in place (the caller's logits move)
import numpy as np


def softmax_cross_entropy_backward(z, y):
    z -= np.max(z, axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(z.shape[0]), y] -= 1
    return p / z.shape[0]
