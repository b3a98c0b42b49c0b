"""Small builders shared by the engine's tests (tests/test_nn_*.py)."""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from barenet.nn import Dense, Dropout, Sequential, check_gradients

#: The relative error below which backprop and central differences agree (issue 3).
TOLERANCE = 1e-6


def mlp(sizes, activation, *, seed=0, dtype=np.float64, output=None, dropout=None,
        output_activation=None) -> Sequential:
    """Dense layers of `sizes` (e.g. [4, 5, 3]) with `activation()` after every hidden layer.

    `output` is a layer class put after the last Dense (e.g. Softmax); `dropout` a probability for
    a Dropout after every hidden activation. One seeded Generator feeds every layer.
    Biases start random, not zero: a layer whose inputs are all 0 (every ReLU below inactive, or
    dropped) would otherwise sit exactly on the next ReLU's kink, where no derivative exists.
    """
    rng = np.random.default_rng(seed)
    layers = []
    for i, (n_in, n_out) in enumerate(pairwise(sizes)):
        layers.append(Dense(n_in, n_out, bias_init="normal:0.5", rng=rng, dtype=dtype))
        if i < len(sizes) - 2:
            layers.append(activation())
            if dropout:
                layers.append(Dropout(dropout, rng=rng))
    if output is not None:
        layers.append(output())
    return Sequential(layers, output_activation=output_activation)


def gradient_errors(model, loss, x, y, **kwargs) -> dict[str, float]:
    """{"0.W": error, …, "input": error}: the error of each array `check_gradients` checked."""
    return {c.name: c.error for c in check_gradients(model, loss, x, y, **kwargs)}


def check(model, loss, x, y, training=False) -> dict[str, float]:
    """Run the gradient check and assert every error is below TOLERANCE; return the errors."""
    errors = gradient_errors(model, loss, x, y, training=training)
    worst = max(errors, key=errors.get)
    assert errors[worst] < TOLERANCE, f"{worst}: relative error {errors[worst]:.3g} ({errors})"
    return errors


def freeze_dropout(model: Sequential, x: np.ndarray) -> None:
    """Draw every Dropout mask with one training forward, then keep it (a fixed function of θ)."""
    model.forward(np.array(x, dtype=np.float64), training=True)
    for layer in model.layers:
        if isinstance(layer, Dropout):
            layer.frozen = True
