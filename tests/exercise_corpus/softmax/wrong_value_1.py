# expect: wrong_value
# why: returns log-softmax (the exp forgotten at the end)
import numpy as np


def softmax(z):
    m = np.max(z, axis=1, keepdims=True)
    return z - m - np.log(np.sum(np.exp(z - m), axis=1, keepdims=True))
