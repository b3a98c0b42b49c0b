# expect: pass
# why: np.log with where= and a filled out= array: no log(0) is ever taken
import numpy as np


def cross_entropy(p, y):
    picked = p[np.arange(len(y)), y]
    logs = np.log(picked, where=picked > 0, out=np.full(picked.shape, -700.0))
    return -logs.mean()
