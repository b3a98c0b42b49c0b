# expect: pass
# why: einsum for the column sums, the backward written with 1/N in front
import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    n = x.shape[0]
    mu = np.einsum("nd->d", x) / n
    xc = x - mu
    var = np.einsum("nd,nd->d", xc, xc) / n
    return gamma * xc / np.sqrt(var + eps) + beta


def batchnorm_backward(x, gamma, grad_y, eps=1e-5):
    n = x.shape[0]
    mu = np.einsum("nd->d", x) / n
    xc = x - mu
    var = np.einsum("nd,nd->d", xc, xc) / n
    inv = 1 / np.sqrt(var + eps)
    xh = xc * inv
    dgamma = np.einsum("nd,nd->d", grad_y, xh)
    dbeta = np.einsum("nd->d", grad_y)
    dx = (1.0 / n) * gamma * inv * (n * grad_y - dbeta - xh * dgamma)
    return dx, dgamma, dbeta
