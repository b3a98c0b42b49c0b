# expect: pass
# why: -ln p written as ln(1/p), the zeros clipped first
import numpy as np


def cross_entropy(p, y):
    picked = np.clip(p[np.arange(len(y)), y], 1e-12, None)
    return np.mean(np.log(1.0 / picked))
