# expect: pass
# why: np.where keeps log away from the zeros (1e-300 in their place)
import numpy as np


def cross_entropy(p, y):
    picked = p[np.arange(p.shape[0]), y]
    safe = np.where(picked > 0, picked, 1e-300)
    return float(np.mean(-np.log(safe)))
