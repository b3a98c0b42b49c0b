"""The engine's speed paths compute the same numbers as the plain ones.

Sequential packs parameters and gradients into one flat array each so an optimiser can update
the whole network at once (`optimizers.flat_views`); optimisers flush subnormal numbers from their
state; dropout draws its mask from 16-bit integers. Each is checked against the simple path.
"""

from __future__ import annotations

import numpy as np
import pytest

from barenet.nn import (
    SGD,
    Adam,
    Dense,
    Dropout,
    Momentum,
    ReLU,
    RMSprop,
    Sequential,
    SoftmaxCrossEntropy,
    fit,
)
from barenet.nn.optimizers import flat_views, flush_subnormals


def network(seed: int = 0) -> Sequential:
    rng = np.random.default_rng(seed)
    return Sequential([Dense(20, 16, rng=rng), ReLU(), Dense(16, 12, rng=rng), ReLU(), Dense(12, 4, rng=rng)],
                      output_activation="softmax")


def unpacked(model: Sequential) -> Sequential:
    """The same network with every parameter and gradient a separate array (no flat buffer)."""
    for layer in model.layers:
        for name in layer.param_names:
            setattr(layer, name, np.array(getattr(layer, name)))
            setattr(layer, "d" + name, np.array(getattr(layer, "d" + name)))
    return model


def data(n: int = 200):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((n, 20)).astype(np.float32)
    y = (x[:, :4].argmax(axis=1)).astype(np.int64)
    return x, y


def test_a_new_network_is_packed_into_one_flat_array():
    model = network()
    params = [p for p, _ in model.parameters()]
    grads = [g for _, g in model.parameters()]
    assert flat_views(params) is not None and flat_views(grads) is not None
    assert flat_views(params).size == model.parameter_count()


@pytest.mark.parametrize(
    "make_optimizer",
    [lambda: SGD(0.1), lambda: Momentum(0.05, 0.9), lambda: Momentum(0.05, 0.9, nesterov=True),
     lambda: RMSprop(1e-3), lambda: Adam(1e-2)],
    ids=["sgd", "momentum", "nesterov", "rmsprop", "adam"],
)
def test_packed_and_unpacked_networks_train_to_identical_weights(make_optimizer):
    x, y = data()
    packed, separate = network(), unpacked(network())
    assert flat_views([p for p, _ in separate.parameters()]) is None
    for model in (packed, separate):
        fit(model, SoftmaxCrossEntropy(), make_optimizer(), x, y, epochs=3, batch_size=16, seed=0)
    for (a, _), (b, _) in zip(packed.parameters(), separate.parameters(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_parameter_replaced_after_packing_is_still_updated():
    x, y = data()
    model = network()
    start = np.random.default_rng(2).standard_normal((20, 16)).astype(np.float32) * 0.3
    replacement = start.copy()
    model.layers[0].W = replacement  # the user assigns a plain array: the flat path no longer applies
    optimizer = Adam(1e-2)
    fit(model, SoftmaxCrossEntropy(), optimizer, x, y, epochs=1, batch_size=16, seed=0)
    assert model.layers[0].W is replacement
    assert not np.array_equal(replacement, start)  # updated in place, as every parameter is
    reference = network()
    reference.layers[0].W = start.copy()
    reference = unpacked(reference)
    fit(reference, SoftmaxCrossEntropy(), Adam(1e-2), x, y, epochs=1, batch_size=16, seed=0)
    for (a, _), (b, _) in zip(model.parameters(), reference.parameters(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_flush_subnormals_zeroes_exactly_the_subnormal_entries():
    tiny = np.finfo(np.float32).tiny  # the smallest normal float32, 1.18e-38
    a = np.array([tiny / 2, -tiny / 4, tiny, -tiny, 1e-30, 0.0, 1.0, np.float32(1e-45)], dtype=np.float32)
    expected = np.array([0, 0, tiny, -tiny, 1e-30, 0, 1, 0], dtype=np.float32)
    flush_subnormals(a)
    np.testing.assert_array_equal(a, expected)


@pytest.mark.parametrize("p", [0.1, 0.2, 0.5, 0.9])
def test_dropout_keeps_each_unit_with_probability_one_minus_p_and_preserves_the_mean(p):
    layer = Dropout(p, rng=0)
    x = np.ones((1000, 500), dtype=np.float32)
    out = layer.forward(x, training=True)
    kept = (out != 0).mean()
    assert abs(kept - (1 - p)) < 4 * np.sqrt(p * (1 - p) / x.size) + 2**-16  # binomial spread
    assert abs(out.mean() - 1) < 0.01  # inverted dropout: E[a] = x
    assert out.dtype == np.float32


def test_dropout_close_to_one_stays_finite():
    layer = Dropout(0.9999, rng=0)
    out = layer.forward(np.ones((100, 100), dtype=np.float32), training=True)
    assert np.isfinite(out).all()
    grad = layer.backward(np.ones_like(out))
    assert np.isfinite(grad).all()
