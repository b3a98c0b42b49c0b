# expect: pass
# why: einsum, one-hot labels and log-softmax
import numpy as np


def loss_and_gradients(params, x, y):
    n = x.shape[0]
    z1 = np.einsum("ni,ih->nh", x, params["W1"]) + params["b1"]
    h = np.where(z1 > 0, z1, 0.0)
    z2 = np.einsum("nh,hc->nc", h, params["W2"]) + params["b2"]
    m = z2.max(axis=1, keepdims=True)
    log_p = z2 - m - np.log(np.exp(z2 - m).sum(axis=1, keepdims=True))
    t = np.eye(z2.shape[1])[y]
    loss = -np.einsum("nc,nc->", t, log_p) / n
    delta2 = (np.exp(log_p) - t) / n
    delta1 = np.einsum("nc,hc->nh", delta2, params["W2"]) * (z1 > 0)
    grads = {
        "W1": np.einsum("ni,nh->ih", x, delta1),
        "b1": delta1.sum(axis=0),
        "W2": np.einsum("nh,nc->hc", h, delta2),
        "b2": delta2.sum(axis=0),
    }
    return loss, grads
