# expect: pass
# why: one sample at a time, gradients summed then divided by N
import numpy as np


def loss_and_gradients(params, x, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    n = x.shape[0]
    grads = {k: np.zeros_like(v, dtype=float) for k, v in params.items()}
    loss = 0.0
    for i in range(n):
        z1 = x[i] @ W1 + b1
        h = np.maximum(z1, 0)
        z2 = h @ W2 + b2
        e = np.exp(z2 - z2.max())
        p = e / e.sum()
        loss += -np.log(p[y[i]] + 1e-12)
        d2 = p.copy()
        d2[y[i]] -= 1
        grads["W2"] += np.outer(h, d2)
        grads["b2"] += d2
        d1 = (W2 @ d2) * (z1 > 0)
        grads["W1"] += np.outer(x[i], d1)
        grads["b1"] += d1
    for k in grads:
        grads[k] /= n
    return loss / n, grads
