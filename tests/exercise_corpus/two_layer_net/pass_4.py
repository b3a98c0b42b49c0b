# expect: pass
# why: float32 throughout, layer functions of its own, the ReLU applied in place on its own array
import numpy as np


def _softmax(a):
    a = a - np.max(a, axis=1, keepdims=True)
    e = np.exp(a)
    return e / np.sum(e, axis=1, keepdims=True)


def loss_and_gradients(params, x, y):
    p32 = {k: v.astype(np.float32) for k, v in params.items()}
    x = x.astype(np.float32)
    batch_size = x.shape[0]
    a1 = np.dot(x, p32["W1"]) + p32["b1"]
    z1 = a1.copy()
    z1[a1 <= 0] = 0                      # ReLU on its own copy
    a2 = np.dot(z1, p32["W2"]) + p32["b2"]
    out = _softmax(a2)
    loss = -np.sum(np.log(out[np.arange(batch_size), y] + 1e-7)) / batch_size

    dy = out.copy()
    dy[np.arange(batch_size), y] -= 1
    dy = dy / batch_size
    grads = {"W2": np.dot(z1.T, dy), "b2": np.sum(dy, axis=0)}
    da1 = np.dot(dy, p32["W2"].T)
    da1[a1 <= 0] = 0
    grads["W1"] = np.dot(x.T, da1)
    grads["b1"] = np.sum(da1, axis=0)
    return float(loss), grads
