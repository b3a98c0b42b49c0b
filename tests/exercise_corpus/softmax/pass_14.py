# expect: pass
# why: np.amax for the shift, np.true_divide for the division
import numpy as np


def softmax(z):
    e = np.exp(z - np.amax(z, axis=1, keepdims=True))
    return np.true_divide(e, e.sum(axis=1, keepdims=True))
