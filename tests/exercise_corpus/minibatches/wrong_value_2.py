# expect: wrong_value
# why: np.array_split into ceil(n / b) pieces: equal-ish sizes, not batches of b with a smaller last one
import math

import numpy as np


def minibatches(n, batch_size, rng):
    perm = rng.permutation(n)
    return np.array_split(perm, math.ceil(n / batch_size))
