# expect: exception
# why: rng.shuffle(n) on an int (shuffle wants an array; permutation takes an int)
def minibatches(n, batch_size, rng):
    idx = rng.shuffle(n)
    return [idx[i:i + batch_size] for i in range(0, n, batch_size)]
