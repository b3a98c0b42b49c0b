# expect: scale
# why: steps of eps/2 either side (a distance of eps) but divides by 2 eps: half the gradient
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    grad = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + eps / 2
        up = f(x)
        x[idx] = old - eps / 2
        down = f(x)
        x[idx] = old
        grad[idx] = (up - down) / (2 * eps)
    return grad
