# expect: not_shuffled
# why: draws the permutation, then sorts it "to keep things tidy"
import numpy as np


def minibatches(n, batch_size, rng):
    perm = np.sort(rng.permutation(n))
    return [perm[i:i + batch_size] for i in range(0, n, batch_size)]
