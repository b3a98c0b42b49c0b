# expect: pass
# why: 斋藤-style layer classes (Affine, Relu, SoftmaxWithLoss) composed forward and backward
import numpy as np


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return np.dot(x, self.W) + self.b

    def backward(self, dout):
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return np.dot(dout, self.W.T)


class Relu:
    def forward(self, x):
        self.mask = (x <= 0)
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout = dout.copy()
        dout[self.mask] = 0
        return dout


class SoftmaxWithLoss:
    def forward(self, x, t):
        x = x - x.max(axis=1, keepdims=True)
        self.y = np.exp(x) / np.sum(np.exp(x), axis=1, keepdims=True)
        self.t = t
        n = x.shape[0]
        return -np.sum(np.log(self.y[np.arange(n), t] + 1e-7)) / n

    def backward(self):
        n = self.y.shape[0]
        dx = self.y.copy()
        dx[np.arange(n), self.t] -= 1
        return dx / n


def loss_and_gradients(params, x, y):
    a1, r, a2, last = Affine(params["W1"], params["b1"]), Relu(), Affine(params["W2"], params["b2"]), SoftmaxWithLoss()
    loss = last.forward(a2.forward(r.forward(a1.forward(x))), y)
    a1.backward(r.backward(a2.backward(last.backward())))
    return loss, {"W1": a1.dW, "b1": a1.db, "W2": a2.dW, "b2": a2.db}
