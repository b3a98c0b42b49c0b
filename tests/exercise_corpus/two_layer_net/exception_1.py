# expect: exception
# why: imports the book's helper package (common.functions), which is not there
import numpy as np
from common.functions import cross_entropy_error, softmax


def loss_and_gradients(params, x, y):
    n = x.shape[0]
    z1 = x @ params["W1"] + params["b1"]
    h = np.maximum(z1, 0)
    p = softmax(h @ params["W2"] + params["b2"])
    loss = cross_entropy_error(p, y)
    dz2 = p.copy()
    dz2[np.arange(n), y] -= 1
    dz2 /= n
    dz1 = (dz2 @ params["W2"].T) * (z1 > 0)
    grads = {"W1": x.T @ dz1, "b1": dz1.sum(axis=0), "W2": h.T @ dz2, "b2": dz2.sum(axis=0)}
    return loss, grads
