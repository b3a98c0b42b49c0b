"""The layer protocol that every building block of a network follows.

A layer maps a batch forward and a gradient backward:

    forward(x, training=False) -> out        x: (batch, n_in)    out: (batch, n_out)
    backward(grad_out) -> grad_in            grad_out = ∂L/∂out  grad_in = ∂L/∂x

`forward` remembers what `backward` needs (the input, or its own output), so `backward` must follow
the `forward` of the same batch. Layers with parameters expose them as plain arrays named after the
math (`W`, `b`) and their gradients under the same name with a `d` in front (`dW`, `db`).

Inside a `Sequential`, an activation right after a Dense layer works in place (`inplace`): its
forward overwrites the Dense output z with a = g(z), its backward overwrites the incoming
gradient. That saves two arrays per layer and per batch. If you walk `model.layers` by hand and
want to keep an intermediate array (z, a, or a gradient) after the next layer has run, take a
`.copy()` of it; standalone layers, made outside a `Sequential`, never work in place.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class Layer:
    """Base class: a layer with no parameters that passes nothing through until overridden."""

    #: Names of the parameter attributes, in a fixed order; the gradient of `p` is `d` + `p`.
    param_names: tuple[str, ...] = ()
    #: Names of arrays the layer keeps but the optimiser never moves (BatchNorm's running
    #: statistics): saved with the model like parameters.
    buffer_names: tuple[str, ...] = ()

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def parameters(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """(parameter, gradient) pairs, after a backward pass; empty for parameter-free layers."""
        return [(getattr(self, name), getattr(self, "d" + name)) for name in self.param_names]

    def config(self) -> dict[str, Any]:
        """The arguments that rebuild this layer (without its parameter values), JSON-ready."""
        return {}

    def output_size(self, n_in: int) -> int:
        """Number of output features for `n_in` input features."""
        return n_in

    def __repr__(self) -> str:
        args = ", ".join(f"{key}={value!r}" for key, value in self.config().items())
        return f"{type(self).__name__}({args})"
