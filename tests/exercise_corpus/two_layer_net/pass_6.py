# expect: pass
# why: the loss from log-softmax (no guard needed), grads through one-hot labels
import numpy as np


def loss_and_gradients(params, x, y):
    n = len(x)
    z1 = x @ params["W1"] + params["b1"]
    h = z1 * (z1 > 0)
    s = h @ params["W2"] + params["b2"]
    s = s - s.max(axis=1, keepdims=True)
    log_p = s - np.log(np.exp(s).sum(axis=1, keepdims=True))
    onehot = np.zeros_like(s)
    onehot[np.arange(n), y] = 1
    loss = -(onehot * log_p).sum() / n
    d_s = (np.exp(log_p) - onehot) / n
    d_h = d_s @ params["W2"].T
    d_z1 = d_h * (z1 > 0)
    return loss, {"W1": x.T @ d_z1, "b1": d_z1.sum(0), "W2": h.T @ d_s, "b2": d_s.sum(0)}
