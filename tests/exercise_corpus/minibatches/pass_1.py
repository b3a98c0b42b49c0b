# expect: pass
# why: rng.permutation(n) cut in order by a list comprehension
def minibatches(n, batch_size, rng):
    perm = rng.permutation(n)
    return [perm[i:i + batch_size] for i in range(0, n, batch_size)]
