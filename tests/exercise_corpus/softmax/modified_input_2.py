# expect: modified_input
# why: np.exp(..., out=z) "to save memory" writes the exponentials into the caller's z
import numpy as np


def softmax(z):
    np.exp(z - z.max(axis=1, keepdims=True), out=z)
    return z / z.sum(axis=1, keepdims=True)
