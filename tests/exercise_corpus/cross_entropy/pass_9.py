# expect: pass
# why: .clip(min=1e-15) on the picked probabilities, the mean negated at the end
import numpy as np


def cross_entropy(p, y):
    return np.log(p[range(len(y)), y].clip(min=1e-15)).mean() * -1
