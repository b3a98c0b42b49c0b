# expect: pass
# why: subtract each row's max (keepdims), exp, divide by the row sum
import numpy as np


def softmax(z):
    z = z - np.max(z, axis=1, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=1, keepdims=True)
