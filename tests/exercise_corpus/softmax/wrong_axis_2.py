# expect: wrong_axis
# why: stable per row, but divides by the sum of the whole batch (np.sum without axis)
import numpy as np


def softmax(z):
    exp_a = np.exp(z - np.max(z, axis=1, keepdims=True))
    sum_exp_a = np.sum(exp_a)
    return exp_a / sum_exp_a
