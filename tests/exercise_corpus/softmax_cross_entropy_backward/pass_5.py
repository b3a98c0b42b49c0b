# expect: pass
# why: scipy.special.softmax along axis 1, then the one-hot subtracted with np.add.at
import numpy as np
from scipy.special import softmax


def softmax_cross_entropy_backward(z, y):
    n = z.shape[0]
    grad = softmax(z, axis=1)
    np.add.at(grad, (np.arange(n), y), -1.0)
    return grad / n
