# expect: dropped_last
# why: a generator over n // batch_size full batches only
def minibatches(n, batch_size, rng):
    perm = rng.permutation(n)
    for i in range(n // batch_size):
        yield perm[i * batch_size:(i + 1) * batch_size]
