# expect: pass
# why: returns a 1x1 array (keepdims all the way): a 1-element array is accepted as a float
import numpy as np


def cross_entropy(p, y):
    t = np.eye(p.shape[1])[y]
    per_sample = -np.sum(t * np.log(p + 1e-12), axis=1, keepdims=True)   # (N, 1)
    return per_sample.mean(axis=0, keepdims=True)                        # (1, 1)
