# expect: overflow
# why: shifts each row by its mean instead of its max: [-1000, 0, 1000] still gives exp(1000)
import numpy as np


def softmax(z):
    z = z - z.mean(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
