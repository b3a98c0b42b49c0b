# expect: exception
# why: leaves a sys.exit() after a debugging print
import sys

import numpy as np


def softmax(z):
    e = np.exp(z - np.max(z, axis=1, keepdims=True))
    p = e / np.sum(e, axis=1, keepdims=True)
    print(p.sum(axis=1))
    sys.exit(0)
    return p
