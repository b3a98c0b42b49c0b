"""Finite-difference gradient check: the proof that a backward pass computes ∂L/∂θ.

For every parameter element θ_i, the central difference

    ∂L/∂θ_i ≈ (L(θ + ε e_i) − L(θ − ε e_i)) / (2ε)           error O(ε²)

is compared with backpropagation's value. In float64 with ε = 1e-6 the two agree to about 1e-9
for correct code; an error in a backward pass shows up as a relative error of order 1.

The error reported for a parameter is max_i |backprop_i − numeric_i| / max_i max(|backprop_i|,
|numeric_i|): the largest disagreement relative to the largest gradient of that parameter.
(Dividing element by element would report the finite difference's rounding noise, about 1e-10,
as a large relative error wherever a gradient is nearly 0.)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from barenet.nn.losses import Loss
from barenet.nn.model import Sequential


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """max |a − n| / max(|a|, |n|), over all elements; 0 when both are exactly zero."""
    scale = max(np.abs(analytic).max(initial=0.0), np.abs(numeric).max(initial=0.0))
    if scale == 0:
        return 0.0
    return float(np.abs(analytic - numeric).max() / scale)


def numerical_gradient(f: Callable[[], float], array: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """∂f/∂array by central differences, perturbing `array` in place one element at a time."""
    grad = np.zeros_like(array, dtype=np.float64)
    flat, gflat = array.reshape(-1), grad.reshape(-1)  # views
    for i in range(flat.size):
        original = flat[i]
        flat[i] = original + eps
        plus = f()
        flat[i] = original - eps
        minus = f()
        flat[i] = original
        gflat[i] = (plus - minus) / (2 * eps)
    return grad


def gradient_check(
    model: Sequential,
    loss: Loss,
    x: np.ndarray,
    y: np.ndarray,
    eps: float = 1e-6,
    training: bool = False,
) -> dict[str, float]:
    """Relative error of backprop against central differences, per parameter and for the input.

    Returns {"0.W": err, "0.b": err, ..., "input": err}. The model and x should be float64
    (`Sequential.from_config(..., dtype=np.float64)`); a Dropout layer must be `frozen` with a mask
    drawn (run one forward with training=True first) so that L is one fixed function.
    """
    x = np.array(x, dtype=np.float64)

    def loss_value() -> float:
        return loss.forward(model.forward(x, training=training), y)

    loss_value()
    grad_x = model.backward(loss.backward(), input_grad=True)
    analytic = {name: getattr(model.layers[int(name.split(".")[0])], "d" + name.split(".")[1]).copy()
                for name, _ in model.named_parameters()}
    errors = {}
    for name, param in model.named_parameters():
        errors[name] = relative_error(analytic[name], numerical_gradient(loss_value, param, eps))
    errors["input"] = relative_error(grad_x, numerical_gradient(loss_value, x, eps))
    return errors
