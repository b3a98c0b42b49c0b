# expect: dropped_last
# why: range(0, n - batch_size + 1, batch_size) stops before the partial batch
def minibatches(n, batch_size, rng):
    perm = rng.permutation(n)
    out = []
    for s in range(0, n - batch_size + 1, batch_size):
        out.append(perm[s:s + batch_size])
    return out
