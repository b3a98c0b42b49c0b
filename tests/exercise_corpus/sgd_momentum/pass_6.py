# expect: pass
# why: np.add with out= into v and w (in place, returned)
import numpy as np


def momentum_step(w, g, v, lr, mu):
    np.add(mu * v, -lr * g, out=v)
    np.add(w, v, out=w)
    return w, v
