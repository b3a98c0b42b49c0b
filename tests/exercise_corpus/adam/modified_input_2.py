# expect: modified_input
# why: reuses g's memory for (1 - beta1) g with g[:] = ...: the caller's gradient changes
import numpy as np


def adam_step(w, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    g2 = g * g
    g[:] = (1 - beta1) * g
    m = beta1 * m + g
    v = beta2 * v + (1 - beta2) * g2
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
