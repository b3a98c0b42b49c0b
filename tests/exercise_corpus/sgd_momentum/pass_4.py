# expect: pass
# why: element by element over the flat arrays, new arrays returned
import numpy as np


def momentum_step(w, g, v, lr, mu):
    w_new = np.array(w, dtype=float)
    v_new = np.array(v, dtype=float)
    for i in range(w_new.size):
        v_new.flat[i] = mu * v_new.flat[i] - lr * g.flat[i]
        w_new.flat[i] += v_new.flat[i]
    return w_new, v_new
