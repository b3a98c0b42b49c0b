# expect: pass
# why: column-vector habit: works on z.T (classes down the columns) and transposes back
import numpy as np


def softmax(z):
    zt = z.T                                   # (C, N)
    e = np.exp(zt - np.max(zt, axis=0))        # (C, N)
    pt = e / np.sum(e, axis=0)                 # (C, N)
    return pt.T                                # (N, C)
