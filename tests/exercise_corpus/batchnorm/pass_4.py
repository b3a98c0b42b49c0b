# expect: pass
# why: float32, keepdims statistics, the mean form of the backward
import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    x = x.astype(np.float32)
    mu = x.mean(axis=0, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=0, keepdims=True)
    return gamma.astype(np.float32) * (x - mu) / np.sqrt(var + np.float32(eps)) + beta.astype(np.float32)


def batchnorm_backward(x, gamma, grad_y, eps=1e-5):
    x = x.astype(np.float32)
    g = grad_y.astype(np.float32)
    mu = x.mean(axis=0, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=0, keepdims=True)
    s = np.sqrt(var + np.float32(eps))
    xh = (x - mu) / s
    dgamma = (g * xh).sum(axis=0)
    dbeta = g.sum(axis=0)
    dx = gamma.astype(np.float32) / s * (g - g.mean(axis=0, keepdims=True) - xh * (g * xh).mean(axis=0, keepdims=True))
    return dx, dgamma, dbeta
