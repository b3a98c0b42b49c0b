# expect: pass
# why: Kingma & Ba's efficient form (the correction folded into lr_t, eps before it), as in 斋藤's book
import numpy as np


def adam_step(w, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    lr_t = lr * np.sqrt(1.0 - beta2 ** t) / (1.0 - beta1 ** t)
    m = m + (1 - beta1) * (g - m)
    v = v + (1 - beta2) * (g ** 2 - v)
    w = w - lr_t * m / (np.sqrt(v) + eps)
    return w, m, v
