# expect: modified_input
# why: np.clip(p, 1e-12, 1, out=p) guards the zeros by changing the caller's p
import numpy as np


def cross_entropy(p, y):
    np.clip(p, 1e-12, 1.0, out=p)
    return -np.mean(np.log(p[np.arange(len(y)), y]))
