# expect: repeated_samples
# why: a fresh permutation for every batch: an index can come back in a later batch
def minibatches(n, batch_size, rng):
    return [rng.permutation(n)[i:i + batch_size] for i in range(0, n, batch_size)]
