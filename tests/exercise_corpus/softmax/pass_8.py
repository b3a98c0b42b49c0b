# expect: pass
# why: a loop over the rows into np.zeros(z.shape) (float64 storage whatever z's dtype)
import numpy as np


def softmax(z):
    out = np.zeros(z.shape)
    for i, row in enumerate(z):
        e = np.exp(row - row.max())
        out[i] = e / e.sum()
    return out
