# expect: pass
# why: a map object over the start indices (any iterable of index arrays is accepted)
def minibatches(n, batch_size, rng):
    perm = rng.permutation(n)
    return map(lambda s: perm[s:s + batch_size], range(0, n, batch_size))
