# expect: pass
# why: everything cast to float32 up front (as barenet trains), the loss returned as a NumPy float32
import numpy as np


def loss_and_gradients(params, x, y):
    P = {k: v.astype(np.float32) for k, v in params.items()}
    x = x.astype(np.float32)
    n = x.shape[0]
    z1 = x @ P["W1"] + P["b1"]
    h = np.maximum(z1, 0)
    s = h @ P["W2"] + P["b2"]
    s = s - s.max(axis=1, keepdims=True)
    lse = np.log(np.exp(s).sum(axis=1))
    loss = np.mean(lse - s[np.arange(n), y])
    d = np.exp(s - lse[:, None])
    d[np.arange(n), y] -= 1
    d /= n
    dz1 = (d @ P["W2"].T) * (z1 > 0)
    return loss, {"W1": x.T @ dz1, "b1": dz1.sum(0), "W2": h.T @ d, "b2": d.sum(0)}
