# expect: wrong_value
# why: np.random.permutation: shuffled, but by the global generator, not by rng
import numpy as np


def minibatches(n, batch_size, rng):
    perm = np.random.permutation(n)
    return [perm[i:i + batch_size] for i in range(0, n, batch_size)]
