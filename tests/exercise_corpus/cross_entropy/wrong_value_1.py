# expect: wrong_value
# why: takes the probability of the predicted class (max of each row), not of the true label
import numpy as np


def cross_entropy(p, y):
    return -np.mean(np.log(np.max(p, axis=1) + 1e-12))
