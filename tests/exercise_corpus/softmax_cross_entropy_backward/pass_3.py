# expect: pass
# why: a loop over the samples, each row's gradient built separately
import numpy as np


def softmax_cross_entropy_backward(z, y):
    n, c = z.shape
    grad = np.zeros((n, c))
    for i in range(n):
        row = np.exp(z[i] - np.max(z[i]))
        row = row / row.sum()
        row[y[i]] -= 1.0
        grad[i] = row / n
    return grad
