# expect: pass
# why: x.std(axis=0) for the spread (sqrt(std**2 + eps)), the backward in terms of the centred x
import numpy as np


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    xc = x - x.mean(axis=0)
    s = np.sqrt(x.std(axis=0) ** 2 + eps)
    return gamma * xc / s + beta


def batchnorm_backward(x, gamma, grad_y, eps=1e-5):
    n = len(x)
    xc = x - x.mean(axis=0)
    s = np.sqrt(x.std(axis=0) ** 2 + eps)
    dxh = grad_y * gamma
    dvar = np.sum(dxh * xc, axis=0) * -0.5 * s ** -3
    dmu = np.sum(-dxh / s, axis=0) + dvar * np.mean(-2 * xc, axis=0)
    dx = dxh / s + dvar * 2 * xc / n + dmu / n
    return dx, np.sum(grad_y * xc / s, axis=0), np.sum(grad_y, axis=0)
