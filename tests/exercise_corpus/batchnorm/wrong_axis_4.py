# expect: wrong_axis
# why: dgamma summed over the features (axis=1) instead of over the batch
import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


def batchnorm_backward(x, gamma, grad_y, eps=1e-5):
    n = x.shape[0]
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    inv = 1 / np.sqrt(var + eps)
    xh = (x - mu) * inv
    d = grad_y * gamma
    dx = inv / n * (n * d - d.sum(axis=0) - xh * (d * xh).sum(axis=0))
    return dx, (grad_y * xh).sum(axis=1), grad_y.sum(axis=0)
