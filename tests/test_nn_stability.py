"""Extreme inputs give finite losses and gradients, with no NumPy warning.

pytest turns every warning into an error (pyproject's filterwarnings), and each computation here
also runs under np.errstate(over, invalid, divide = "raise"), so an overflow, a 0/0, an inf − inf or
a log(0) anywhere fails the test. Underflow is allowed: e^(−1000) = 0 is the intended result.
"""

from __future__ import annotations

import numpy as np
import pytest

from barenet.nn import (
    BinaryCrossEntropy,
    CrossEntropy,
    Dense,
    Sequential,
    Sigmoid,
    Softmax,
    SoftmaxCrossEntropy,
    Tanh,
)

DTYPES = [np.float32, np.float64]
STRICT = {"over": "raise", "invalid": "raise", "divide": "raise", "under": "ignore"}


def logits(dtype, scale):
    return np.array([[scale, -scale, 0.0], [-scale, -scale, scale], [scale, scale, -scale]], dtype=dtype)


def finite(*arrays):
    return all(np.isfinite(a).all() for a in arrays)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("layer", [Sigmoid, Tanh, Softmax])
@pytest.mark.parametrize("scale", [1e3, 1e4])
def test_activation_at_extreme_pre_activations(dtype, layer, scale):
    z = logits(dtype, scale)
    with np.errstate(**STRICT):
        unit = layer()
        a = unit.forward(z.copy())
        grad = unit.backward(np.ones_like(z))
    assert a.dtype == grad.dtype == dtype
    assert finite(a, grad)
    assert ((a >= -1) & (a <= 1)).all()
    if layer is Softmax:
        np.testing.assert_allclose(a.sum(axis=1), 1, rtol=1e-6)
        np.testing.assert_array_equal(a[0], [1, 0, 0])  # e^(−2000) underflows to exactly 0
    if layer is Sigmoid:
        np.testing.assert_array_equal(a[0], [1, 0, 0.5])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("scale", [1e3, 1e4])
def test_softmax_cross_entropy_at_extreme_logits(dtype, scale):
    z = logits(dtype, scale)
    # row 1 right: loss 0;  row 2: log Σ e^z = s, loss s − (−s) = 2s;
    # row 3 [s, s, −s]: log Σ e^z = s + ln 2, loss s + ln 2 − (−s) = 2s + ln 2
    labels = np.array([0, 1, 2])
    with np.errstate(**STRICT):
        loss = SoftmaxCrossEntropy()
        value = loss.forward(z, labels)
        grad = loss.backward()
    assert np.isfinite(value) and value == pytest.approx((4 * scale + np.log(2)) / 3, rel=1e-6)
    assert grad.dtype == dtype and finite(grad)
    np.testing.assert_allclose(grad[1], np.array([0, -1, 1]) / 3, atol=1e-7)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("scale", [1e3, 1e4])
def test_binary_cross_entropy_at_extreme_logits(dtype, scale):
    z = logits(dtype, scale)
    y = np.array([[1, 0, 1], [1, 0, 0], [0, 1, 1]], dtype=dtype)
    with np.errstate(**STRICT):
        loss = BinaryCrossEntropy()
        value = loss.forward(z, y)
        grad = loss.backward()
    # wrong by ±scale costs scale (softplus), right costs 0, z = 0 costs ln 2: rows sum to
    # (0 + 0 + ln 2) + (s + 0 + s) + (s + 0 + s)
    assert value == pytest.approx((np.log(2) + 4 * scale) / 3, rel=1e-6)
    assert grad.dtype == dtype and finite(grad)
    assert np.abs(grad).max() <= 1 / 3 + 1e-7


@pytest.mark.parametrize("dtype", DTYPES)
def test_cross_entropy_on_probabilities_with_exact_zeros_and_ones(dtype):
    p = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.5, 0.5, 0.0]], dtype=dtype)
    labels = np.array([0, 0, 2])  # certain and right, certain and wrong, impossible class
    with np.errstate(**STRICT):
        loss = CrossEntropy()
        value = loss.forward(p, labels)
        grad = loss.backward()
    assert np.isfinite(value) and value > 0
    assert grad.dtype == dtype and finite(grad)


@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_layer_then_cross_entropy_at_extreme_logits(dtype):
    # The unfused pair: p underflows to exact 0s and 1s; the loss clips, the chain stays finite.
    model = Sequential([Softmax()])
    z = logits(dtype, 1e3)
    with np.errstate(**STRICT):
        loss = CrossEntropy()
        value = loss.forward(model.forward(z.copy()), np.array([1, 0, 2]))
        grad = model.backward(loss.backward())
    assert np.isfinite(value)
    assert grad.dtype == dtype and finite(grad)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("activation", [Sigmoid, Tanh])
def test_saturated_network_forward_and_backward(dtype, activation):
    # Weights so large that pre-activations reach ±1e4: units saturate, gradients vanish, no warnings.
    rng = np.random.default_rng(0)
    model = Sequential([Dense(3, 4, rng=rng, dtype=dtype), activation(), Dense(4, 2, rng=rng, dtype=dtype)])
    model.layers[0].W[...] = 1e4 * np.sign(model.layers[0].W)
    x = rng.choice([-1.0, 1.0], size=(5, 3)).astype(dtype)
    with np.errstate(**STRICT):
        for loss in (SoftmaxCrossEntropy(), BinaryCrossEntropy()):
            value = loss.forward(model.forward(x), np.array([0, 1, 1, 0, 1]))
            grad = model.backward(loss.backward())
            assert np.isfinite(value) and finite(grad, *(g for _, g in model.parameters()))
