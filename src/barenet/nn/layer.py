"""The layer protocol that every building block of a network follows.

A layer maps a batch forward and a gradient backward:

    forward(x, training=False) -> out        x: (batch, n_in)    out: (batch, n_out)
    backward(grad_out) -> grad_in            grad_out = ∂L/∂out  grad_in = ∂L/∂x

`forward` remembers what `backward` needs (the input, or its own output), so `backward` must follow
the `forward` of the same batch. Layers with parameters expose them as plain arrays named after the
math (`W`, `b`) and their gradients under the same name with a `d` in front (`dW`, `db`).

A layer never overwrites its arguments: after a forward pass z, a and every gradient are still
there to inspect. (The fast path of `fit`, `barenet.nn.fast`, works in place; it is a separate
module, tested to compute the same numbers as these layers.)
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
