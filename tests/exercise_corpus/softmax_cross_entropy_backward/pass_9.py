# expect: pass
# why: scipy.special.log_softmax, then exp, minus the one-hot
import numpy as np
from scipy.special import log_softmax


def softmax_cross_entropy_backward(z, y):
    g = np.exp(log_softmax(z, axis=1))
    g[np.arange(z.shape[0]), y] -= 1.0
    return g / z.shape[0]
