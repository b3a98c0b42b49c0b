# expect: wrong_value
# why: avoids a small last batch by merging the remainder into the batch before it
def minibatches(n, batch_size, rng):
    perm = rng.permutation(n)
    batches = [perm[i:i + batch_size] for i in range(0, n, batch_size)]
    if len(batches) > 1 and len(batches[-1]) < batch_size:
        last = batches.pop()
        batches[-1] = list(batches[-1]) + list(last)
        import numpy as np
        batches[-1] = np.array(batches[-1])
    return batches
