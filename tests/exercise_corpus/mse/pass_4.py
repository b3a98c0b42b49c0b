# expect: pass
# why: the mean over samples of the row norms, halved; float32 throughout
import numpy as np


def mse(y_hat, y):
    d = (y_hat - y).astype(np.float32)
    return np.mean(np.sum(d * d, axis=1)) / 2


def mse_backward(y_hat, y):
    d = (y_hat - y).astype(np.float32)
    return d / np.float32(d.shape[0])
