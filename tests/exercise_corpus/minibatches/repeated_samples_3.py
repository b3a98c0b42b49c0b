# expect: repeated_samples
# why: rng.integers(0, n, size=n) as the "shuffled" order: duplicates and gaps
def minibatches(n, batch_size, rng):
    order = rng.integers(0, n, size=n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]
