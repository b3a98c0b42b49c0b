# expect: pass
# why: divides via transposes, (e.T / e.sum(axis=1)).T, the broadcasting trick without keepdims
import numpy as np


def softmax(z):
    e = np.exp((z.T - z.max(axis=1)).T)
    return (e.T / e.sum(axis=1)).T
