# expect: pass
# why: a flat view (reshape(-1) of a contiguous array) perturbed and restored
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    flat = x.reshape(-1)            # a view: writing flat writes x
    grad = np.zeros(flat.size)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        plus = f(x)
        flat[i] = old - eps
        minus = f(x)
        flat[i] = old
        grad[i] = (plus - minus) / (2 * eps)
    return grad.reshape(x.shape)
