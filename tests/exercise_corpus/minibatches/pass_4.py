# expect: pass
# why: the number of batches with ceil, a for loop and min() for the last one
import math


def minibatches(n, batch_size, rng):
    perm = rng.permutation(n)
    batches = []
    for k in range(math.ceil(n / batch_size)):
        lo = k * batch_size
        hi = min(lo + batch_size, n)
        batches.append(perm[lo:hi])
    return batches
