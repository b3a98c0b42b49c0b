# expect: exception
# why: params["w1"] in lower case: KeyError
import numpy as np


def loss_and_gradients(params, x, y):
    n = x.shape[0]
    z1 = x @ params["w1"] + params["b1"]
    h = np.maximum(z1, 0)
    z2 = h @ params["w2"] + params["b2"]
    e = np.exp(z2 - z2.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(p[np.arange(n), y] + 1e-12))
    dz2 = p.copy()
    dz2[np.arange(n), y] -= 1
    dz2 /= n
    dz1 = (dz2 @ params["w2"].T) * (z1 > 0)
    return loss, {"W1": x.T @ dz1, "b1": dz1.sum(0), "W2": h.T @ dz2, "b2": dz2.sum(0)}
