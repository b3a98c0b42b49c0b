# expect: wrong_value
# why: sums -log p over every class, the label never used
import numpy as np


def cross_entropy(p, y):
    return -np.sum(np.log(p + 1e-12)) / p.shape[0]
