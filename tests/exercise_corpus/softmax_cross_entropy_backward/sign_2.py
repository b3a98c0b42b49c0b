# expect: sign
# why: subtracts p from the one-hot, in a loop over the samples
import numpy as np


def softmax_cross_entropy_backward(z, y):
    n = len(z)
    out = np.empty_like(z, dtype=float)
    for i in range(n):
        e = np.exp(z[i] - z[i].max())
        p = e / e.sum()
        t = np.zeros_like(p)
        t[y[i]] = 1
        out[i] = (t - p) / n
    return out
