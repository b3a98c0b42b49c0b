# expect: shape
# why: returns the permutation itself (one array of ints), not the list of batches
def minibatches(n, batch_size, rng):
    return rng.permutation(n)
