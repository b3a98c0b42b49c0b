# expect: pass
# why: a loop over the features, each column its own 1-D batch norm; np.std for the spread
import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    y = np.empty_like(x, dtype=float)
    for j in range(x.shape[1]):
        col = x[:, j]
        y[:, j] = gamma[j] * (col - col.mean()) / np.sqrt(np.std(col) ** 2 + eps) + beta[j]
    return y


def batchnorm_backward(x, gamma, grad_y, eps=1e-5):
    n, d = x.shape
    grad_x = np.empty((n, d))
    grad_gamma = np.empty(d)
    grad_beta = np.empty(d)
    for j in range(d):
        col = x[:, j]
        s = np.sqrt(col.var() + eps)
        xh = (col - col.mean()) / s
        g = grad_y[:, j]
        grad_beta[j] = g.sum()
        grad_gamma[j] = (g * xh).sum()
        grad_x[:, j] = gamma[j] / s * (g - g.mean() - xh * (g * xh).mean())
    return grad_x, grad_gamma, grad_beta
