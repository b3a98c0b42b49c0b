# expect: repeated_samples
# why: rng.choice(n, batch_size) per batch: sampling with replacement
import math


def minibatches(n, batch_size, rng):
    batches = []
    for _ in range(math.ceil(n / batch_size)):
        batch_mask = rng.choice(n, batch_size)
        batches.append(batch_mask)
    return batches
