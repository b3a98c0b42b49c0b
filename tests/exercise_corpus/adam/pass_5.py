# expect: pass
# why: np.multiply/np.add with out= on m, v, w (in place, returned), np.power for the corrections
import numpy as np


def adam_step(w, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    np.multiply(m, beta1, out=m)
    np.add(m, (1 - beta1) * g, out=m)
    np.multiply(v, beta2, out=v)
    np.add(v, (1 - beta2) * np.square(g), out=v)
    m_hat = m / (1 - np.power(beta1, t))
    v_hat = v / (1 - np.power(beta2, t))
    np.subtract(w, lr * m_hat / (np.sqrt(v_hat) + eps), out=w)
    return w, m, v
