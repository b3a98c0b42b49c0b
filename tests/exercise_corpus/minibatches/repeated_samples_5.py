# expect: repeated_samples
# why: pads the last batch to full size with indices from the start of the permutation
import numpy as np


def minibatches(n, batch_size, rng):
    perm = rng.permutation(n)
    batches = [perm[i:i + batch_size] for i in range(0, n, batch_size)]
    short = batch_size - len(batches[-1])
    if short > 0:
        batches[-1] = np.concatenate([batches[-1], perm[:short]])
    return batches
