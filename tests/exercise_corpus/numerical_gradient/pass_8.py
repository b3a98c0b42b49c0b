# expect: pass
# why: works on x.astype(float) (a copy), perturbs and restores that copy
import numpy as np


def numerical_gradient(f, x, eps=1e-5):
    xc = x.astype(float)
    grad = np.zeros_like(xc)
    for idx in np.ndindex(xc.shape):
        keep = xc[idx]
        xc[idx] = keep + eps
        fp = f(xc)
        xc[idx] = keep - eps
        fm = f(xc)
        xc[idx] = keep
        grad[idx] = (fp - fm) / (2 * eps)
    return grad
