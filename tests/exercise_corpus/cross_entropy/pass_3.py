# expect: pass
# why: one-hot labels and the textbook sum, 1e-7 guard (斋藤's delta), divided by the batch size
import numpy as np


def cross_entropy(p, y):
    batch_size = p.shape[0]
    t = np.eye(p.shape[1])[y]          # one-hot
    delta = 1e-7
    return -np.sum(t * np.log(p + delta)) / batch_size
