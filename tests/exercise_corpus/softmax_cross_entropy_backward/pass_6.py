# expect: pass
# why: log-softmax via logsumexp, p - onehot, divided by len(z)
import numpy as np
from scipy.special import logsumexp


def softmax_cross_entropy_backward(z, y):
    p = np.exp(z - logsumexp(z, axis=1, keepdims=True))
    return (p - np.eye(z.shape[1])[y]) / len(z)
