# expect: dropped_last
# why: n // batch_size batches: the last, smaller batch is lost
def minibatches(n, batch_size, rng):
    perm = rng.permutation(n)
    num_batches = n // batch_size
    return [perm[k * batch_size:(k + 1) * batch_size] for k in range(num_batches)]
