# expect: pass
# why: plain Python: math.exp per entry after subtracting the row's max
import math

import numpy as np


def softmax_cross_entropy_backward(z, y):
    n, c = z.shape
    out = np.zeros((n, c))
    for i in range(n):
        m = max(z[i])
        exps = [math.exp(v - m) for v in z[i]]
        total = sum(exps)
        for j in range(c):
            out[i, j] = (exps[j] / total - (1.0 if j == y[i] else 0.0)) / n
    return out
