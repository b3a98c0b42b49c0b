# expect: pass
# why: np.var(..., ddof=0) spelled out; the backward in its mean form
import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    return gamma * (x - np.mean(x, axis=0)) / np.sqrt(np.var(x, axis=0, ddof=0) + eps) + beta


def batchnorm_backward(x, gamma, grad_y, eps=1e-5):
    s = np.sqrt(np.var(x, axis=0, ddof=0) + eps)
    xh = (x - np.mean(x, axis=0)) / s
    dxh = grad_y * gamma
    dx = (dxh - dxh.mean(axis=0) - xh * (dxh * xh).mean(axis=0)) / s
    return dx, np.sum(grad_y * xh, axis=0), np.sum(grad_y, axis=0)
