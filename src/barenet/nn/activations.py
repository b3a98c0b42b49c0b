"""Activation functions a = g(z), applied elementwise (softmax row-wise), with their derivatives.

Each backward computes grad_in = grad_out ⊙ g'(z), and where g' is a simple function of the
output a it uses a, as scikit-learn does: ReLU' = [a > 0], σ' = a(1 − a), tanh' = 1 − a².

    ReLU       a = max(z, 0)                 g' = [z > 0]
    LeakyReLU  a = z if z > 0 else αz        g' = 1 if z > 0 else α
    Sigmoid    a = σ(z) = 1 / (1 + e^(−z))   g' = σ(z)(1 − σ(z)) = a(1 − a)
    Tanh       a = tanh(z)                   g' = 1 − a²
    Softmax    p_k = e^(z_k) / Σ_j e^(z_j)   Jacobian-vector: dz = p ⊙ (g − Σ_k g_k p_k)

Numerical safety: σ is evaluated through e^(−|z|) ≤ 1 and softmax after subtracting the row's
maximum, so neither overflows or warns for |z| up to 1e4 (or any finite z).

`inplace`: when True the layer overwrites its input on forward and its incoming gradient on
backward, saving a pass over memory and an allocation. `Sequential` turns it on for activations
that directly follow a `Dense`, whose output and input gradient are fresh arrays nobody else
holds; a layer used on its own never touches its arguments.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from barenet.nn.layer import Layer
from barenet.nn.layers import Identity


class ReLU(Layer):
    """Rectified linear unit: a = max(z, 0), g' = [a > 0] (the subgradient at 0 is taken as 0)."""

    def __init__(self) -> None:
        self.inplace = False
        self.a: np.ndarray | None = None

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        self.a = np.maximum(x, 0, out=x if self.inplace else None)
        return self.a

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        active = self.a > 0
        return np.multiply(grad_out, active, out=grad_out if self.inplace else None)


class LeakyReLU(Layer):
    """a = z for z > 0, αz otherwise; g' = 1 or α. Keeps a small gradient for negative inputs."""

    def __init__(self, alpha: float = 0.01) -> None:
        self.alpha = float(alpha)
        self.inplace = False
        self.positive: np.ndarray | None = None

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        self.positive = x > 0
        slope = np.where(self.positive, x.dtype.type(1), x.dtype.type(self.alpha))
        return np.multiply(x, slope, out=x if self.inplace else None)

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        dtype = grad_out.dtype.type
        slope = np.where(self.positive, dtype(1), dtype(self.alpha))
        return np.multiply(grad_out, slope, out=grad_out if self.inplace else None)

    def config(self) -> dict[str, Any]:
        return {"alpha": self.alpha}


def sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = 1 / (1 + e^(−z)), evaluated without overflow for any finite z.

    With e = e^(−|z|) ∈ (0, 1]:  σ(z) = 1 / (1 + e) for z ≥ 0,  and e / (1 + e) for z < 0.
    """
    e = np.exp(-np.abs(z))
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


class Sigmoid(Layer):
    """Logistic unit: a = σ(z), g' = a(1 − a)."""

    def __init__(self) -> None:
        self.inplace = False
        self.a: np.ndarray | None = None

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        self.a = sigmoid(x)
        return self.a

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        a = self.a
        return np.multiply(grad_out, a * (1 - a), out=grad_out if self.inplace else None)


class Tanh(Layer):
    """Hyperbolic tangent: a = tanh(z), g' = 1 − a². Never overflows."""

    def __init__(self) -> None:
        self.inplace = False
        self.a: np.ndarray | None = None

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        self.a = np.tanh(x, out=x if self.inplace else None)
        return self.a

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        a = self.a
        return np.multiply(grad_out, 1 - a * a, out=grad_out if self.inplace else None)


def row_max(z: np.ndarray, top: np.ndarray | None = None) -> np.ndarray:
    """m_n = max_j z_nj as a column, (batch, K) -> (batch, 1); `top` = argmax_j z_nj if known.

    Read off at the argmax: for short rows (K = 10 classes) NumPy's argmax is about 5× faster
    than max(axis=1), and a classifier wants the argmax anyway.
    """
    if top is None:
        top = z.argmax(axis=1)
    return z[np.arange(len(z)), top][:, None]


def softmax(z: np.ndarray) -> np.ndarray:
    """p_k = e^(z_k − m) / Σ_j e^(z_j − m) with m = max_j z_j, row-wise: (batch, K) -> (batch, K).

    Subtracting the row maximum changes nothing mathematically and keeps every exponent ≤ 0.
    """
    p = z - row_max(z)
    np.exp(p, out=p)
    p /= p.sum(axis=1, keepdims=True)
    return p


class Softmax(Layer):
    """Softmax as a layer of its own, for networks that put a loss other than the fused one after it.

    Its Jacobian is ∂p_k/∂z_j = p_k (δ_kj − p_j); applied to g = ∂L/∂p without forming the
    K × K matrix: dz_j = Σ_k g_k p_k (δ_kj − p_j) = p_j (g_j − Σ_k g_k p_k).
    Prefer `SoftmaxCrossEntropy` on raw logits when the loss is cross-entropy: same math, one step.
    """

    def __init__(self) -> None:
        self.p: np.ndarray | None = None

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        self.p = softmax(x)
        return self.p

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        p = self.p
        return p * (grad_out - (grad_out * p).sum(axis=1, keepdims=True))


#: The elementwise activations by the name configurations use: one per hidden layer.
#: (Softmax works on a whole row and ends a network, so it is a layer in `LAYERS`, not here.)
ACTIVATIONS: dict[str, type[Layer]] = {
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "identity": Identity,
}
