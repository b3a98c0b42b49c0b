# expect: modified_input
# why: guards the zeros by writing into p itself
import numpy as np


def cross_entropy(p, y):
    p[p < 1e-12] = 1e-12
    return -np.mean(np.log(p[np.arange(p.shape[0]), y]))
