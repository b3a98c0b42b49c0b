# expect: pass
# why: one row at a time in a loop, each one stabilised (the 1-D textbook function per sample)
import numpy as np


def _softmax_1d(a):
    c = np.max(a)
    exp_a = np.exp(a - c)  # 溢出对策
    return exp_a / np.sum(exp_a)


def softmax(z):
    p = np.empty_like(z)
    for i in range(z.shape[0]):
        p[i] = _softmax_1d(z[i])
    return p
