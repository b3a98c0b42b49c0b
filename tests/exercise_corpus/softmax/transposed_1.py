# expect: transposed
# why: computes on z.T in column form and forgets to transpose back: returns (C, N)
import numpy as np


def softmax(z):
    z = z.T
    z = z - np.max(z, axis=0)
    return np.exp(z) / np.sum(np.exp(z), axis=0)
