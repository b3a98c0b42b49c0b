# expect: pass
# why: in place on its own copy, in float32
import numpy as np


def softmax(z):
    p = z.astype(np.float32)  # a new array
    p -= p.max(axis=1, keepdims=True)
    np.exp(p, out=p)
    p /= p.sum(axis=1, keepdims=True)
    return p
