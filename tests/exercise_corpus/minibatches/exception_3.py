# expect: exception
# why: np.split(perm, n // batch_size) demands an equal division: ValueError when b does not divide n
import numpy as np


def minibatches(n, batch_size, rng):
    perm = rng.permutation(n)
    return np.split(perm, n // batch_size)
