# expect: pass
# why: element by element with math.sqrt over the flat arrays, new arrays returned
import math

import numpy as np


def adam_step(w, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    w2, m2, v2 = np.array(w, dtype=float), np.array(m, dtype=float), np.array(v, dtype=float)
    for i in range(w2.size):
        gi = float(g.flat[i])
        m2.flat[i] = beta1 * m2.flat[i] + (1 - beta1) * gi
        v2.flat[i] = beta2 * v2.flat[i] + (1 - beta2) * gi * gi
        mh = m2.flat[i] / (1 - beta1 ** t)
        vh = v2.flat[i] / (1 - beta2 ** t)
        w2.flat[i] -= lr * mh / (math.sqrt(vh) + eps)
    return w2, m2, v2
