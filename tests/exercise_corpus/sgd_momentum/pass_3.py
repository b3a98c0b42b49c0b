# expect: pass
# why: slice assignment v[:] = ..., w[:] = ...
import numpy as np


def momentum_step(w, g, v, lr, mu):
    v[:] = mu * v - lr * g
    w[:] = w + v
    return w, v
