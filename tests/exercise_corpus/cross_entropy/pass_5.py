# expect: pass
# why: float32 arithmetic, and returns a 1-element array
import numpy as np


def cross_entropy(p, y):
    p32 = p.astype(np.float32)
    picked = np.take_along_axis(p32, y.reshape(-1, 1), axis=1)   # (N, 1)
    loss = -np.log(np.maximum(picked, np.float32(1e-30))).mean(axis=0)
    return loss  # shape (1,)
