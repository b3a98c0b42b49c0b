# expect: repeated_samples
# why: rng.choice(n, n) looks like a shuffle, but replace=True is the default
def minibatches(n, batch_size, rng):
    order = rng.choice(n, n)
    return [order[s:s + batch_size] for s in range(0, n, batch_size)]
