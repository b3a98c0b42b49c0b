# expect: pass
# why: np.heaviside for the ReLU mask, scipy's logsumexp for the loss
import numpy as np
from scipy.special import logsumexp


def loss_and_gradients(params, x, y):
    n = x.shape[0]
    z1 = x @ params["W1"] + params["b1"]
    mask = np.heaviside(z1, 0.0)
    h = z1 * mask
    s = h @ params["W2"] + params["b2"]
    lse = logsumexp(s, axis=1)
    loss = float(np.mean(lse - s[np.arange(n), y]))
    d = np.exp(s - lse[:, None])
    d[np.arange(n), y] -= 1
    d /= n
    dz1 = (d @ params["W2"].T) * mask
    return loss, {"W1": x.T @ dz1, "b1": dz1.sum(0), "W2": h.T @ d, "b2": d.sum(0)}
