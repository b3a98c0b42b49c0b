# expect: exception
# why: loads a file from the learner's own folder at import (my_p.npy is not there)
import numpy as np

p_demo = np.load("my_p.npy")


def cross_entropy(p, y):
    return -np.mean(np.log(p[np.arange(len(y)), y] + 1e-12))
