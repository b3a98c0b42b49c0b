# expect: shape
# why: prints the loss instead of returning it: None
import numpy as np


def cross_entropy(p, y):
    loss = -np.mean(np.log(p[np.arange(p.shape[0]), y] + 1e-12))
    print("loss:", loss)
