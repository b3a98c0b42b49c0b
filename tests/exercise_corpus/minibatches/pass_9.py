# expect: pass
# why: returns a tuple of the index arrays
def minibatches(n, batch_size, rng):
    perm = rng.permutation(n)
    return tuple(perm[i:i + batch_size] for i in range(0, n, batch_size))
