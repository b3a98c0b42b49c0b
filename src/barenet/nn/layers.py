"""Layers with parameters or randomness: the affine map, the identity, and dropout.

Row-vector convention: a batch is a matrix whose rows are samples, x: (batch, n_in), so the
affine map is z = x @ W + b with W: (n_in, n_out). Most textbooks (Nielsen, Bishop) write column
vectors, z = W x + b with W: (n_out, n_in); the two are transposes of each other, and every
formula below is the row-vector one.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from barenet.errors import ShapeError
from barenet.nn.initializers import Initializer, get_initializer
from barenet.nn.layer import Layer


def as_generator(rng: np.random.Generator | int | None) -> np.random.Generator:
    """A Generator from a Generator, a seed, or None (fresh entropy)."""
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(rng)


def given_array(name: str, value: np.ndarray, shape: tuple[int, ...], dtype) -> np.ndarray:
    """A copy of a parameter's given value, after checking that it has `shape` and `dtype`."""
    value = np.asarray(value)
    if value.shape != shape:
        raise ShapeError(f"{name} has shape {value.shape}, the layer needs {shape}")
    if value.dtype != np.dtype(dtype):
        raise ShapeError(f"{name} is {value.dtype}, the layer is built in {np.dtype(dtype)}")
    return value.copy()


class Dense(Layer):
    """Affine layer: z = x @ W + b.

    x: (batch, n_in) -> z: (batch, n_out).  W: (n_in, n_out), b: (n_out,).
    backward: with δ = ∂L/∂z of shape (batch, n_out),
        dW = xᵀ · δ          (n_in, n_out)   each weight's gradient, summed over the batch
        db = Σ_batch δ       (n_out,)
        dx = δ · Wᵀ          (batch, n_in)   passed on to the layer below
    The loss already divides by the batch size, so these sums are averages of per-sample gradients.

    `weight_init` defaults to He (Var(W) = 2 / n_in), the right scale in front of a ReLU; in front
    of a sigmoid or tanh pass "xavier_normal" or "xavier_uniform" (`barenet train` and
    `config.build` choose by the activation that follows).
    """

    param_names = ("W", "b")

    def __init__(
        self,
        n_in: int,
        n_out: int,
        weight_init: str | Initializer = "he_normal",
        bias_init: str | Initializer = "zeros",
        rng: np.random.Generator | int | None = None,
        dtype: np.dtype | type = np.float32,
        W: np.ndarray | None = None,
        b: np.ndarray | None = None,
    ) -> None:
        """A layer of n_out units on n_in inputs, W and b drawn by the initialisers from `rng`.

        Given `W` (n_in, n_out) and `b` (n_out,) of `dtype` (a saved model's values), the layer
        holds copies of those instead and draws nothing.
        """
        if n_in < 1 or n_out < 1:
            raise ValueError(f"Dense needs positive sizes, got n_in={n_in}, n_out={n_out}")
        self.n_in, self.n_out = int(n_in), int(n_out)
        self.weight_init = weight_init if isinstance(weight_init, str) else repr(weight_init)
        self.bias_init = bias_init if isinstance(bias_init, str) else repr(bias_init)
        if W is None or b is None:
            rng = as_generator(rng)
            W = get_initializer(weight_init)((self.n_in, self.n_out), rng, dtype)
            b = get_initializer(bias_init)((self.n_out,), rng, dtype)
        else:
            W = given_array("W", W, (self.n_in, self.n_out), dtype)
            b = given_array("b", b, (self.n_out,), dtype)
        self.W, self.b = W, b
        self.dW = np.zeros_like(self.W)
        self.db = np.zeros_like(self.b)
        self.x: np.ndarray | None = None

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        self.x = x
        return x @ self.W + self.b  # z = x W + b: (batch, n_in) @ (n_in, n_out), b broadcast

    def backward(self, delta: np.ndarray) -> np.ndarray:
        """Fill dW, db from δ = ∂L/∂z (batch, n_out); return dx = δ · Wᵀ (batch, n_in)."""
        self.dW = self.x.T @ delta  # dW = xᵀ δ
        self.db = delta.sum(axis=0)  # db = Σ_batch δ
        return delta @ self.W.T  # dx = δ Wᵀ

    def config(self) -> dict[str, Any]:
        return {
            "n_in": self.n_in,
            "n_out": self.n_out,
            "weight_init": self.weight_init,
            "bias_init": self.bias_init,
        }

    def output_size(self, n_in: int) -> int:
        return self.n_out


class Identity(Layer):
    """a = z, a' = 1: a linear output (regression, or logits for a fused loss)."""

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        return x

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        return grad_out


class Dropout(Layer):
    """Inverted dropout: while training, zero each unit with probability p and scale the rest.

    training:  a = x ⊙ m / (1 − p),  m_ij ~ Bernoulli(1 − p) drawn from `rng`
    inference: a = x                 (nothing to rescale: the training pass already did)
    backward:  dx = grad ⊙ m / (1 − p)

    Some books (the original paper, Nielsen) drop without scaling and multiply the weights by
    (1 − p) at test time instead; the inverted form keeps inference untouched.
    `frozen = True` reuses the last mask, so a gradient check sees one fixed function.

    The mask is drawn as 16-bit integers u, uniform on {0, …, 65535}, kept where
    u ≥ round(65536 p): P(keep) = 1 − p to within 2⁻¹⁷ (p = 0.2 keeps with probability
    0.800003). Half the random bits of float32 uniforms and an integer comparison: the mask
    costs about 60 % of `rng.random(float32) >= p` (the largest part of a dropout layer's time).
    """

    def __init__(self, p: float = 0.5, rng: np.random.Generator | int | None = None) -> None:
        if not 0.0 <= p < 1.0:
            raise ValueError(f"dropout probability must be in [0, 1), got {p}")
        self.p = float(p)
        self.rng = as_generator(rng)
        self.frozen = False
        self.scaled_mask: np.ndarray | None = None  # m / (1 − p), the factor applied in training

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        if not training or self.p == 0.0:
            self.scaled_mask = None
            return x
        if not (self.frozen and self.scaled_mask is not None):
            u = self.rng.integers(0, 1 << 16, size=x.shape, dtype=np.uint16)
            keep = u >= np.uint16(min(round(self.p * (1 << 16)), (1 << 16) - 1))  # P = 1 − p
            self.scaled_mask = np.multiply(keep, x.dtype.type(1.0 / (1.0 - self.p)), dtype=x.dtype)
        return x * self.scaled_mask

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        if self.scaled_mask is None:
            return grad_out
        return grad_out * self.scaled_mask

    def config(self) -> dict[str, Any]:
        return {"p": self.p}
