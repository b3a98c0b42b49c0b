# expect: modified_input
# why: p += 1e-7 adds the guard to the caller's array
import numpy as np


def cross_entropy(p, y):
    p += 1e-7
    batch_size = p.shape[0]
    return -np.sum(np.log(p[np.arange(batch_size), y])) / batch_size
