# expect: exception
# why: perm.reshape(-1, batch_size) fails when batch_size does not divide n
def minibatches(n, batch_size, rng):
    perm = rng.permutation(n)
    return list(perm.reshape(-1, batch_size))
