# expect: scale
# why: np.mean over the one-hot product: divides by N*C instead of N
import numpy as np


def cross_entropy(p, y):
    t = np.zeros_like(p)
    t[np.arange(len(y)), y] = 1
    return -np.mean(t * np.log(p + 1e-7))
