# expect: pass
# why: np.logaddexp.reduce along the rows as the log of the denominator
import numpy as np


def softmax(z):
    return np.exp(z - np.logaddexp.reduce(z, axis=1, keepdims=True))
