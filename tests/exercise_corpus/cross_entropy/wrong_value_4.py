# expect: wrong_value
# why: the log of the mean probability, not the mean of the logs
import numpy as np


def cross_entropy(p, y):
    return -np.log(np.mean(p[np.arange(len(y)), y]) + 1e-12)
