# expect: batch_statistics_ignored
# why: the staged graph, with the mean's path dx2 = dmu / N left out
import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=0)
    var = x.var(axis=0)
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


def batchnorm_backward(x, gamma, grad_y, eps=1e-5):
    N = x.shape[0]
    mu = np.mean(x, axis=0)
    xmu = x - mu
    var = np.mean(xmu ** 2, axis=0)
    sqrtvar = np.sqrt(var + eps)
    ivar = 1.0 / sqrtvar
    xhat = xmu * ivar
    dgamma = np.sum(grad_y * xhat, axis=0)
    dbeta = np.sum(grad_y, axis=0)
    dxhat = grad_y * gamma
    divar = np.sum(dxhat * xmu, axis=0)
    dxmu1 = dxhat * ivar
    dsqrtvar = -1.0 / sqrtvar ** 2 * divar
    dvar = 0.5 / sqrtvar * dsqrtvar
    dxmu2 = 2 * xmu * dvar / N
    dx = dxmu1 + dxmu2
    return dx, dgamma, dbeta
