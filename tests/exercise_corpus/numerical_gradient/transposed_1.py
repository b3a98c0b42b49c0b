# expect: transposed
# why: loops over x.T's positions and fills grad in that layout: a 2-D gradient comes back transposed
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    xt = x.T                      # a view: writing xt writes x
    grad = np.zeros(xt.shape)
    for idx in np.ndindex(xt.shape):
        old = xt[idx]
        xt[idx] = old + eps
        a = f(x)
        xt[idx] = old - eps
        b = f(x)
        xt[idx] = old
        grad[idx] = (a - b) / (2 * eps)
    return grad
