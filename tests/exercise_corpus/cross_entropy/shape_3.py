# expect: shape
# why: returns (loss, accuracy): a 2-tuple where one number belongs
import numpy as np


def cross_entropy(p, y):
    loss = -np.mean(np.log(p[np.arange(len(y)), y] + 1e-12))
    acc = np.mean(np.argmax(p, axis=1) == y)
    return loss, acc
