"""The layers and the loss of one training step, in place and without a wasted product.

Each function does what the textbook layer's method does (`barenet.nn.layers`, `activations`,
`losses`), and keeps in the layer what that method keeps, but writes into arrays that exist:
- Dense: z = x W, then z += b (no second array); dW and db into ∇θ (`out=`); the first layer
  skips dx = δ Wᵀ, which nothing below it needs: one product of three saved;
- ReLU right after a layer that made a fresh array: a = max(z, 0) over z, and the gradient
  ⊙ [a > 0] over the incoming gradient (the textbook keeps z; here it is gone);
- softmax cross-entropy on integer labels: the argmax found once serves as each row's maximum
  and as the predicted class, and ∂L/∂z = (p − y) / N is written over p.
A layer not listed runs its own forward and backward; its gradients are copied into ∇θ.
"""

from __future__ import annotations

import numpy as np

from barenet.nn.activations import ReLU
from barenet.nn.batchnorm import BatchNorm
from barenet.nn.layers import Dense
from barenet.nn.losses import SoftmaxCrossEntropy


def dense_forward(layer: Dense, x: np.ndarray) -> np.ndarray:
    layer.x = x
    z = x @ layer.W
    z += layer.b  # z = x W + b
    return z


def dense_backward(layer: Dense, delta: np.ndarray, input_grad: bool) -> np.ndarray | None:
    np.matmul(layer.x.T, delta, out=layer.dW)  # dW = xᵀ δ
    np.sum(delta, axis=0, out=layer.db)  # db = Σ_batch δ
    return delta @ layer.W.T if input_grad else None  # dx = δ Wᵀ


def relu_forward(layer: ReLU, z: np.ndarray) -> np.ndarray:
    layer.a = np.maximum(z, 0, out=z)
    return layer.a


def relu_backward(layer: ReLU, grad: np.ndarray) -> np.ndarray:
    return np.multiply(grad, layer.a > 0, out=grad)


def forward(layers: list, x: np.ndarray) -> np.ndarray:
    """The network's training forward pass; ReLU in place where its input is a fresh array."""
    fresh = False  # whether x is an array this pass made (never the caller's batch)
    for layer in layers:
        if type(layer) is Dense:
            x, fresh = dense_forward(layer, x), True
        elif type(layer) is ReLU and fresh:
            x = relu_forward(layer, x)
        else:
            x, fresh = layer.forward(x, training=True), type(layer) in (BatchNorm,)
    return x


def backward(layers: list, grad: np.ndarray, grad_views: dict) -> None:
    """The backward pass, parameter gradients into ∇θ; no ∂L/∂x for the first layer.

    grad_views: {(layer index, name): view of ∇θ} for the layers that run their own backward.
    `grad` is the loss's fresh gradient, so a ReLU may overwrite it (and what follows from it).
    """
    for i in range(len(layers) - 1, -1, -1):
        layer = layers[i]
        if type(layer) is Dense:
            grad = dense_backward(layer, grad, input_grad=i > 0)
        elif type(layer) is ReLU:
            grad = relu_backward(layer, grad)
        else:
            grad = layer.backward(grad)
            for name in layer.param_names:
                grad_views[i, name][...] = getattr(layer, "d" + name)


def softmax_cross_entropy(loss: SoftmaxCrossEntropy, z: np.ndarray,
                          labels: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """(L, ∂L/∂z, predicted classes) for integer labels (N,), without label smoothing.

    The textbook's log-sum-exp with m = z at the argmax (the row maximum); then p = e^(log p),
    and (p − y) / N over p, y one-hot: 1 subtracted at each row's label.
    """
    n = len(z)
    rows = np.arange(n)
    top = z.argmax(axis=1)
    shifted = z - z[rows, top][:, None]  # z − m, (N, K)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    value = -float(log_p[rows, labels].sum()) / n  # L = −1/N Σ_n log p_{n, y_n}
    p = np.exp(log_p, out=log_p)
    p[rows, labels] -= 1
    p /= n  # ∂L/∂z = (p − y) / N
    return value, p, top
