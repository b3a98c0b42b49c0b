# expect: overflow
# why: subtracts the max of the whole batch, not of each row: a row of -1000 next to +1000 becomes 0/0
import numpy as np


def softmax(z):
    c = np.max(z)              # 溢出对策
    exp_z = np.exp(z - c)
    return exp_z / np.sum(exp_z, axis=1, keepdims=True)
