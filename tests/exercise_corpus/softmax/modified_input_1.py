# expect: modified_input
# why: z -= max shifts the caller's logits in place
import numpy as np


def softmax(z):
    z -= np.max(z, axis=1, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=1, keepdims=True)
