# expect: modified_input
# why: grad_y *= gamma turns the caller's grad_y into dx_hat in place
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
    dgamma = (grad_y * xh).sum(axis=0)
    dbeta = grad_y.sum(axis=0)
    grad_y *= gamma
    dx = inv / n * (n * grad_y - grad_y.sum(axis=0) - xh * (grad_y * xh).sum(axis=0))
    return dx, dgamma, dbeta
