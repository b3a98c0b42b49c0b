# expect: pass
# why: the row sums taken with [:, None] instead of keepdims, and via einsum
import numpy as np


def softmax(z):
    shifted = z - z.max(axis=1)[:, None]
    e = np.exp(shifted)
    s = np.einsum("ij->i", e)
    return e / s[:, None]
