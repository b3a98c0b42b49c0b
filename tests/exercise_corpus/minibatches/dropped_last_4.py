# expect: dropped_last
# why: keeps only the batches of full size (if len(batch) == batch_size)
def minibatches(n, batch_size, rng):
    perm = rng.permutation(n)
    batches = []
    for i in range(0, n, batch_size):
        batch = perm[i:i + batch_size]
        if len(batch) == batch_size:
            batches.append(batch)
    return batches
