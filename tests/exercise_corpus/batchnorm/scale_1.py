# expect: scale
# why: dgamma and dbeta as means over the batch (an extra 1/N)
import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


def batchnorm_backward(x, gamma, grad_y, eps=1e-5):
    n = x.shape[0]
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    inv = 1.0 / np.sqrt(var + eps)
    xh = (x - mu) * inv
    d = grad_y * gamma
    dx = inv / n * (n * d - d.sum(axis=0) - xh * (d * xh).sum(axis=0))
    return dx, (grad_y * xh).mean(axis=0), grad_y.mean(axis=0)
