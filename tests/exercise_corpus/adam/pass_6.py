# expect: pass
# why: in place with augmented assignment, eps inside the root, the corrections as scalars first
import numpy as np


def adam_step(w, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    c1 = 1.0 - beta1 ** t
    c2 = 1.0 - beta2 ** t
    m[...] = beta1 * m + (1 - beta1) * g
    v[...] = beta2 * v + (1 - beta2) * g * g
    w -= lr * (m / c1) / np.sqrt(v / c2 + eps)
    return w, m, v
