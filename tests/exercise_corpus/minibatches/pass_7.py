# expect: pass
# why: the number of batches as -(-n // b), slices by batch number
def minibatches(n, batch_size, rng):
    perm = rng.permutation(n)
    count = -(-n // batch_size)
    return [perm[k * batch_size:(k + 1) * batch_size] for k in range(count)]
