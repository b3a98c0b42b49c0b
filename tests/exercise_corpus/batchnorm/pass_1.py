# expect: pass
# why: the compact backward formula (the batch mean and variance differentiated through)
import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    x_hat = (x - mu) / np.sqrt(var + eps)
    return gamma * x_hat + beta


def batchnorm_backward(x, gamma, grad_y, eps=1e-5):
    n = x.shape[0]
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = (x - mu) * inv_std
    dx_hat = grad_y * gamma
    grad_x = inv_std / n * (n * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0))
    grad_gamma = (grad_y * x_hat).sum(axis=0)
    grad_beta = grad_y.sum(axis=0)
    return grad_x, grad_gamma, grad_beta
