# expect: pass
# why: returns a generator expression
def minibatches(n, batch_size, rng):
    perm = rng.permutation(n)
    return (perm[i:i + batch_size] for i in range(0, n, batch_size))
