# expect: batch_statistics_ignored
# why: keeps the mean's path but treats the variance as a constant
import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


def batchnorm_backward(x, gamma, grad_y, eps=1e-5):
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    std = np.sqrt(var + eps)
    x_hat = (x - mu) / std
    dxhat = grad_y * gamma
    grad_x = (dxhat - dxhat.mean(axis=0)) / std
    return grad_x, np.sum(grad_y * x_hat, axis=0), np.sum(grad_y, axis=0)
