# expect: overflow
# why: one-hot times log p with no guard: 0 * log(0) = 0 * -inf = nan where p has zeros
import numpy as np


def cross_entropy(p, y):
    n, c = p.shape
    t = np.zeros((n, c))
    t[np.arange(n), y] = 1
    return -np.sum(t * np.log(p)) / n
