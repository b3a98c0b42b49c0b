# expect: pass
# why: a generator (yield) over the permutation
def minibatches(n, batch_size, rng):
    order = rng.permutation(n)
    start = 0
    while start < n:
        yield order[start:start + batch_size]
        start += batch_size
