# expect: batch_statistics_ignored
# why: dx = gamma / sqrt(var + eps) * grad_y: the mean and variance treated as constants
import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


def batchnorm_backward(x, gamma, grad_y, eps=1e-5):
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    x_hat = (x - mu) / np.sqrt(var + eps)
    grad_x = grad_y * gamma / np.sqrt(var + eps)
    return grad_x, np.sum(grad_y * x_hat, axis=0), np.sum(grad_y, axis=0)
