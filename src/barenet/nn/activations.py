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

Every layer here returns new arrays and leaves its arguments alone; the in-place versions that
`fit` uses for speed are in `barenet.nn.fast`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from barenet.nn.layer import Layer
from barenet.nn.layers import Identity


class ReLU(Layer):
    """Rectified linear unit: a = max(z, 0), g' = [a > 0] (the subgradient at 0 is taken as 0)."""

    def __init__(self) -> None:
        self.a: np.ndarray | None = None

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        self.a = np.maximum(x, 0)  # a = max(z, 0)
        return self.a

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        return grad_out * (self.a > 0)  # dz = g ⊙ [a > 0]


class LeakyReLU(Layer):
    """a = z for z > 0, αz otherwise; g' = 1 or α. Keeps a small gradient for negative inputs."""

    def __init__(self, alpha: float = 0.01) -> None:
        self.alpha = float(alpha)
        self.slope: np.ndarray | None = None

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        self.slope = np.where(x > 0, x.dtype.type(1), x.dtype.type(self.alpha))  # g'(z)
        return x * self.slope

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        return grad_out * self.slope

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
        self.a: np.ndarray | None = None

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        self.a = sigmoid(x)
        return self.a

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        return grad_out * self.a * (1 - self.a)  # dz = g ⊙ a(1 − a)


class Tanh(Layer):
    """Hyperbolic tangent: a = tanh(z), g' = 1 − a². Never overflows."""

    def __init__(self) -> None:
        self.a: np.ndarray | None = None

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        self.a = np.tanh(x)
        return self.a

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        return grad_out * (1 - self.a**2)  # dz = g ⊙ (1 − a²)


def softmax(z: np.ndarray) -> np.ndarray:
    """p_k = e^(z_k − m) / Σ_j e^(z_j − m) with m = max_j z_j, row-wise: (batch, K) -> (batch, K).

    Subtracting the row maximum changes nothing mathematically and keeps every exponent ≤ 0.
    """
    p = z - z.max(axis=1, keepdims=True)  # (batch, K) − (batch, 1)
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
