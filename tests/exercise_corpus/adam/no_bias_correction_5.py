# expect: no_bias_correction
# why: the efficient form with only sqrt(1 - beta2^t) in lr_t: the division by 1 - beta1^t forgotten
import numpy as np


def adam_step(w, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g ** 2
    lr_t = lr * np.sqrt(1 - beta2 ** t)
    w = w - lr_t * m / (np.sqrt(v) + eps)
    return w, m, v
