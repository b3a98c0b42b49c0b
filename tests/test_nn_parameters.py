"""Parameters: the layers' own arrays for the textbook engine, one vector θ for the fast path.

`FlatParameters.bind` (barenet.nn.fast) gathers every parameter into θ and every gradient into ∇θ,
the layers' W, b, dW, db becoming views of their pieces; a parameter assigned as a new array is
the network's, for a hand-written loop and for `fit` alike. The fused optimisers flush subnormal
numbers; dropout draws its mask from 16-bit integers. Each is checked against the simple path.
"""

from __future__ import annotations

import numpy as np
import pytest

from barenet.errors import ShapeError
from barenet.nn import Adam, Dense, Dropout, ReLU, Sequential, SoftmaxCrossEntropy, fit
from barenet.nn.fast.flat import FlatParameters
from barenet.nn.fast.optimizers import flush_subnormals


def network(seed: int = 0, dtype=np.float32) -> Sequential:
    rng = np.random.default_rng(seed)
    return Sequential([Dense(20, 16, rng=rng, dtype=dtype), ReLU(), Dense(16, 12, rng=rng, dtype=dtype),
                       ReLU(), Dense(12, 4, rng=rng, dtype=dtype)], output_activation="softmax")


def data(n: int = 200):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((n, 20)).astype(np.float32)
    y = (x[:, :4].argmax(axis=1)).astype(np.int64)
    return x, y


def test_bind_makes_every_parameter_and_gradient_a_view_of_theta_keeping_the_values():
    rng = np.random.default_rng(0)
    layers = [Dense(20, 16, rng=rng), ReLU(), Dense(16, 4, rng=rng)]
    before = [layers[0].W.copy(), layers[0].b.copy(), layers[2].W.copy(), layers[2].b.copy()]
    model = Sequential(layers)
    flat = FlatParameters.bind(model)
    assert flat.size == model.parameter_count() == 20 * 16 + 16 + 16 * 4 + 4
    assert flat.shapes == [(20, 16), (16,), (16, 4), (4,)]
    np.testing.assert_array_equal(flat.theta, np.concatenate([a.reshape(-1) for a in before]))
    for (param, grad), view, grad_view in zip(model.parameters(), flat.views, flat.grad_views, strict=True):
        assert param is view and grad is grad_view
    flat.theta[320:336] = 7.0
    np.testing.assert_array_equal(layers[0].b, np.full(16, 7.0))


def hand_loop(model, x, y, steps=5):
    """The learner's loop: forward, loss, backward, optimiser step, with the public objects only."""
    loss, optimizer = SoftmaxCrossEntropy(), Adam(1e-2)
    for i in range(steps):
        xb, yb = x[i * 16 : (i + 1) * 16], y[i * 16 : (i + 1) * 16]
        loss.forward(model.forward(xb, training=True), yb)
        model.backward(loss.backward())
        optimizer.step(model.parameters())


@pytest.mark.parametrize("train", ["fit", "hand loop"])
def test_a_parameter_assigned_as_a_new_array_is_the_networks_and_is_trained(train):
    x, y = data()
    start = np.random.default_rng(2).standard_normal((20, 16)).astype(np.float32) * 0.3
    assigned, in_place = network(), network()
    assigned.layers[0].W = start.copy()
    in_place.layers[0].W[...] = start
    for model in (assigned, in_place):
        if train == "fit":
            fit(model, SoftmaxCrossEntropy(), Adam(1e-2), x, y, epochs=1, batch_size=16, seed=0)
        else:
            hand_loop(model, x, y)
    for (_, a), (_, b) in zip(assigned.named_parameters(), in_place.named_parameters(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(assigned.layers[0].W, start)  # trained


def test_a_transposed_array_assigned_to_w_is_trained_not_silently_left_unchanged():
    x, y = data()
    for fast in (True, False):
        model = network()
        model.layers[4].W = np.ones((4, 12), dtype=np.float32).T
        fit(model, SoftmaxCrossEntropy(), Adam(1e-2), x, y, epochs=1, batch_size=16, fast=fast)
        assert not np.allclose(model.layers[4].W, 1.0)


def test_an_assigned_array_of_another_shape_is_refused():
    x, y = data()
    model = network()
    model.layers[2].W = np.zeros((16, 13), dtype=np.float32)
    with pytest.raises(ShapeError, match=r"layer 2's W was given an array of shape \(16, 13\) float32; the "
                                         r"network holds \(16, 12\) float32 there"):
        fit(model, SoftmaxCrossEntropy(), Adam(1e-2), x, y, epochs=1)


def test_one_dtype_and_one_place_per_layer():
    with pytest.raises(ValueError, match="mix float32 and float64"):
        Sequential([Dense(3, 3, rng=0), Dense(3, 2, rng=0, dtype=np.float64)])
    shared = Dense(3, 3, rng=0)
    with pytest.raises(ValueError, match="a layer appears twice"):
        Sequential([shared, ReLU(), shared])
    assert network(dtype=np.float64).dtype == np.float64
    empty = Sequential([ReLU()])
    assert empty.parameter_count() == 0 and FlatParameters.bind(empty).size == 0


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


def test_an_optimiser_moves_an_array_of_ones_own_in_place():
    from barenet.nn import SGD

    point, grad = np.array([-4.0, 2.0]), np.array([1.0, -0.5])
    SGD(lr=0.1).step([(point, grad)])
    np.testing.assert_array_equal(point, [-4.1, 2.05])  # point ← point − η g, in that very array
