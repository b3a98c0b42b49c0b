# expect: batch_statistics_ignored
# why: keeps the variance's path but treats the batch mean as a constant
import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


def batchnorm_backward(x, gamma, grad_y, eps=1e-5):
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    inv = 1 / np.sqrt(var + eps)
    xh = (x - mu) * inv
    d = grad_y * gamma
    dx = inv * (d - xh * np.mean(d * xh, axis=0))
    return dx, np.sum(grad_y * xh, axis=0), np.sum(grad_y, axis=0)
