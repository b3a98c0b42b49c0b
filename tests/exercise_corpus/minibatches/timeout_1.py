# expect: timeout
# why: the start index is computed but never stored: while start < n runs forever
def minibatches(n, batch_size, rng):
    perm = rng.permutation(n)
    batches = []
    start = 0
    while start < n:
        batch = perm[start:start + batch_size]
        start + batch_size
    batches.append(batch)
    return batches
