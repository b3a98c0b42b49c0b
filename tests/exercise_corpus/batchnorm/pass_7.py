# expect: pass
# why: the staged graph with keepdims statistics, every path kept
import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=0, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=0, keepdims=True)
    return gamma * (x - mu) / np.sqrt(var + eps) + beta


def batchnorm_backward(x, gamma, grad_y, eps=1e-5):
    N = x.shape[0]
    mu = x.mean(axis=0, keepdims=True)
    xmu = x - mu
    var = (xmu ** 2).mean(axis=0, keepdims=True)
    std = np.sqrt(var + eps)
    xhat = xmu / std
    dxhat = grad_y * gamma
    dvar = (dxhat * xmu).sum(axis=0, keepdims=True) * -0.5 / std ** 3
    dmu = (-dxhat / std).sum(axis=0, keepdims=True) + dvar * (-2 * xmu).mean(axis=0, keepdims=True)
    dx = dxhat / std + dvar * 2 * xmu / N + dmu / N
    return dx, (grad_y * xhat).sum(axis=0), grad_y.sum(axis=0)
