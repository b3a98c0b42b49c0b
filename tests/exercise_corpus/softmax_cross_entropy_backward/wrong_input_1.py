# expect: wrong_input
# why: treats z as if it were already the probabilities: (z - onehot) / N, softmax(z) never taken
import numpy as np


def softmax_cross_entropy_backward(z, y):
    t = np.zeros_like(z)
    t[np.arange(len(y)), y] = 1
    return (z - t) / len(y)
