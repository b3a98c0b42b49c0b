"""Batch normalisation for dense layers (Ioffe & Szegedy 2015): each feature rescaled by its batch.

For every feature j (column) of a batch x (N, n), usually a Dense layer's output z:

    training    μ = 1/N Σₙ xₙ,   σ² = 1/N Σₙ (xₙ − μ)²       the batch's mean and biased variance
                x̂ = (x − μ) / s,  s = √(σ² + ε)             zero mean, unit variance, per feature
                y = γ ⊙ x̂ + β                               learnable scale γ and shift β, (n,)
                running_mean ← (1 − m) running_mean + m μ    and running_var from σ² the same way
    inference   x̂ = (x − running_mean) / √(running_var + ε), y = γ ⊙ x̂ + β

Backward through the batch statistics (docs/math.md derives it), with g = ∂L/∂y (N, n):

    dβ = Σₙ gₙ,   dγ = Σₙ gₙ ⊙ x̂ₙ
    dx = γ / s ⊙ (g − mean(g) − x̂ ⊙ mean(g ⊙ x̂))          means over the batch, per feature

Every sample's x̂ depends on the whole batch through μ and σ², which is why dx is not simply
γ / s ⊙ g. The running statistics are buffers, not parameters: saved with the model, never
touched by the optimiser.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from barenet.nn.layer import Layer
from barenet.nn.layers import given_array


class BatchNorm(Layer):
    """y = γ ⊙ (x − μ) / √(σ² + ε) + β per feature, with the batch's μ, σ² in training.

    n: features (the Dense layer's n_out); momentum m: how much of each batch's statistics goes
    into the running ones; eps ε: keeps s away from 0. gamma, beta, running_mean, running_var:
    given values (n,) of `dtype` (a saved model's); by default γ = 1, β = 0, mean 0, variance 1.
    """

    param_names = ("gamma", "beta")
    buffer_names = ("running_mean", "running_var")

    def __init__(
        self,
        n: int,
        momentum: float = 0.1,
        eps: float = 1e-5,
        dtype: np.dtype | type = np.float32,
        gamma: np.ndarray | None = None,
        beta: np.ndarray | None = None,
        running_mean: np.ndarray | None = None,
        running_var: np.ndarray | None = None,
    ) -> None:
        if n < 1:
            raise ValueError(f"BatchNorm needs a positive number of features, got {n}")
        if not 0 < momentum <= 1:
            raise ValueError(f"BatchNorm momentum must be in (0, 1], got {momentum}")
        if not eps > 0:
            raise ValueError(f"BatchNorm eps must be positive, got {eps}")
        self.n, self.momentum, self.eps = int(n), float(momentum), float(eps)
        start = {"gamma": (gamma, 1.0), "beta": (beta, 0.0), "running_mean": (running_mean, 0.0),
                 "running_var": (running_var, 1.0)}
        for name, (value, default) in start.items():
            value = np.full(self.n, default, dtype=dtype) if value is None else \
                given_array(name, value, (self.n,), dtype)
            setattr(self, name, value)
        self.dgamma, self.dbeta = np.zeros_like(self.gamma), np.zeros_like(self.beta)
        self.x_hat: np.ndarray | None = None  # (N, n), kept for backward
        self.inv_std: np.ndarray | None = None  # 1 / s, (n,)
        self.batch_statistics = False  # whether the last forward normalised by the batch's μ, σ²

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        if training:
            mean, var = x.mean(axis=0), x.var(axis=0)  # μ, σ² (biased), (n,)
            m = self.momentum
            self.running_mean = (1 - m) * self.running_mean + m * mean
            self.running_var = (1 - m) * self.running_var + m * var
        else:  # the running statistics: an affine map of x, the same for every batch
            mean, var = self.running_mean, self.running_var
        self.batch_statistics = training
        self.inv_std = 1 / np.sqrt(var + self.eps)  # 1 / s
        self.x_hat = (x - mean) * self.inv_std  # x̂ = (x − μ) / s
        return self.gamma * self.x_hat + self.beta  # y = γ ⊙ x̂ + β

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        """Fill dγ, dβ from g = grad_out; return dx = γ / s ⊙ (g − mean(g) − x̂ ⊙ mean(g ⊙ x̂)).

        After an inference forward μ and s are constants (the running statistics), and
        dx = γ / s ⊙ g: what a gradient check of a trained model differentiates.
        """
        if self.x_hat is None:
            raise RuntimeError("BatchNorm.backward called before forward")
        g, x_hat, n = grad_out, self.x_hat, len(grad_out)
        self.dbeta = g.sum(axis=0)  # dβ = Σₙ g
        self.dgamma = (g * x_hat).sum(axis=0)  # dγ = Σₙ g ⊙ x̂
        if not self.batch_statistics:
            return self.gamma * self.inv_std * g  # dx = γ / s ⊙ g
        return self.gamma * self.inv_std * (g - self.dbeta / n - x_hat * (self.dgamma / n))

    def config(self) -> dict[str, Any]:
        return {"n": self.n, "momentum": self.momentum, "eps": self.eps}
