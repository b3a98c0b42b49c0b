# expect: shape
# why: returns a list of row arrays (a list comprehension, never stacked)
import numpy as np


def softmax(z):
    rows = []
    for row in z:
        e = np.exp(row - row.max())
        rows.append(e / e.sum())
    return rows
