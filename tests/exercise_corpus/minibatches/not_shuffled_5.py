# expect: not_shuffled
# why: shuffles the order of the batches, but each batch is still a run of consecutive indices
import numpy as np


def minibatches(n, batch_size, rng):
    idx = np.arange(n)
    batches = [idx[i:i + batch_size] for i in range(0, n, batch_size)]
    order = rng.permutation(len(batches))
    return [batches[k] for k in order]
