"""BatchNorm: the batch statistics by hand, running statistics, inference, gradient checks, resume."""

from __future__ import annotations

import numpy as np
import pytest

from barenet.nn import (
    Adam,
    BatchNorm,
    Dense,
    Dropout,
    History,
    ReLU,
    Sequential,
    SoftmaxCrossEntropy,
    fit,
)
from nn_helpers import check, freeze_dropout

X = np.array([[1.0, 2.0], [3.0, 6.0], [5.0, 4.0], [7.0, 0.0]])  # per column: μ = (4, 3), σ² = (5, 5)


def test_training_forward_by_hand():
    layer = BatchNorm(2, eps=1e-5, dtype=np.float64)
    layer.gamma[...] = [2.0, 0.5]
    layer.beta[...] = [1.0, -1.0]
    y = layer.forward(X.copy(), training=True)
    s = np.sqrt(5.0 + 1e-5)
    expected = np.array([[-3.0, -1.0], [-1.0, 3.0], [1.0, 1.0], [3.0, -3.0]]) / s * [2.0, 0.5] + [1.0, -1.0]
    np.testing.assert_allclose(y, expected, rtol=1e-12)
    np.testing.assert_allclose(y.mean(axis=0), layer.beta, atol=1e-12)  # the shift is β, the scale γ
    np.testing.assert_allclose(y.std(axis=0), layer.gamma * np.sqrt(5 / (5 + 1e-5)), rtol=1e-12)


def test_running_statistics_and_inference():
    layer = BatchNorm(2, momentum=0.1, eps=1e-5, dtype=np.float64)
    layer.forward(X.copy(), training=True)
    # running ← (1 − 0.1) running + 0.1 batch, from mean 0 and variance 1; the biased σ² = 5
    np.testing.assert_allclose(layer.running_mean, [0.4, 0.3])
    np.testing.assert_allclose(layer.running_var, [0.9 + 0.5, 0.9 + 0.5])
    layer.forward(X + 1.0, training=True)  # μ = (5, 4), σ² unchanged
    np.testing.assert_allclose(layer.running_mean, [0.9 * 0.4 + 0.5, 0.9 * 0.3 + 0.4])
    np.testing.assert_allclose(layer.running_var, [0.9 * 1.4 + 0.5] * 2)
    # inference: the running statistics, the same for a batch of one as inside a larger batch
    layer.gamma[...], layer.beta[...] = [2.0, 3.0], [0.5, 0.0]
    x = np.array([[1.0, -1.0], [2.0, 2.0]])
    expected = (x - layer.running_mean) / np.sqrt(layer.running_var + 1e-5) * layer.gamma + layer.beta
    np.testing.assert_allclose(layer.forward(x, training=False), expected, rtol=1e-12)
    np.testing.assert_allclose(layer.forward(x[1:], training=False), expected[1:], rtol=1e-12)
    before = layer.running_mean.copy()
    layer.forward(x, training=False)
    np.testing.assert_array_equal(layer.running_mean, before)  # inference leaves them alone


def test_backward_matches_the_chain_rule_through_the_batch_statistics_written_out():
    # dx by the long way: x̂ = (x − μ) / s with μ and σ² functions of every row.
    rng = np.random.default_rng(0)
    x, g = rng.standard_normal((6, 3)), rng.standard_normal((6, 3))
    layer = BatchNorm(3, dtype=np.float64)
    layer.gamma[...] = rng.standard_normal(3)
    layer.forward(x.copy(), training=True)
    dx = layer.backward(g)
    n, eps = 6, layer.eps
    mu, var = x.mean(axis=0), x.var(axis=0)
    s = np.sqrt(var + eps)
    x_hat = (x - mu) / s
    d_xhat = g * layer.gamma
    d_var = (d_xhat * (x - mu)).sum(axis=0) * -0.5 * s**-3
    d_mu = -d_xhat.sum(axis=0) / s + d_var * (-2 * (x - mu)).mean(axis=0)
    expected = d_xhat / s + d_var * 2 * (x - mu) / n + d_mu / n
    np.testing.assert_allclose(dx, expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(layer.dgamma, (g * x_hat).sum(axis=0), rtol=1e-12)
    np.testing.assert_allclose(layer.dbeta, g.sum(axis=0), rtol=1e-12)


def test_gradient_check_alone_in_float64():
    rng = np.random.default_rng(1)
    layer = BatchNorm(4, dtype=np.float64)
    layer.gamma[...] = rng.uniform(0.5, 2, 4)
    layer.beta[...] = rng.standard_normal(4)
    model = Sequential([layer])
    x, y = rng.standard_normal((7, 4)) * 3 + 1, rng.integers(0, 4, 7)
    errors = check(model, SoftmaxCrossEntropy(), x, y, training=True)  # batch statistics
    assert set(errors) == {"0.gamma", "0.beta", "input"}


def test_gradient_check_inside_a_network_with_dropout():
    rng = np.random.default_rng(2)
    model = Sequential([Dense(5, 6, bias_init="normal:0.5", rng=rng, dtype=np.float64),
                        BatchNorm(6, dtype=np.float64), ReLU(), Dropout(0.3, rng=rng),
                        Dense(6, 6, rng=rng, dtype=np.float64),
                        BatchNorm(6, dtype=np.float64), ReLU(), Dense(6, 3, rng=rng, dtype=np.float64)])
    for layer in (model.layers[1], model.layers[5]):
        layer.gamma[...] = rng.uniform(0.5, 2, 6)
        layer.beta[...] = rng.uniform(0.2, 1, 6)  # most units on the ReLU's live side
    x, y = rng.standard_normal((9, 5)), rng.integers(0, 3, 9)
    freeze_dropout(model, x)
    errors = check(model, SoftmaxCrossEntropy(), x, y, training=True)
    assert {"1.gamma", "1.beta", "5.gamma", "5.beta", "0.W", "input"} <= set(errors)


def bn_model(seed=0):
    rng = np.random.default_rng(seed)
    return Sequential([Dense(5, 8, rng=rng), BatchNorm(8), ReLU(), Dropout(0.2, rng=rng),
                       Dense(8, 3, rng=rng)], output_activation="softmax")


def blobs(n=60, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, size=n)
    return (rng.standard_normal((3, 5))[y] * 2 + rng.standard_normal((n, 5))).astype(np.float32), y


def test_parameters_in_theta_buffers_beside_it():
    from barenet.nn.fast.flat import FlatParameters

    model = bn_model()
    names = [name for name, _ in model.named_parameters()]
    assert names == ["0.W", "0.b", "1.gamma", "1.beta", "4.W", "4.b"]
    assert [name for name, _ in model.named_buffers()] == ["1.running_mean", "1.running_var"]
    bn = model.layers[1]
    flat = FlatParameters.bind(model)  # the fast path's θ
    assert np.shares_memory(bn.gamma, flat.theta) and np.shares_memory(bn.dgamma, flat.grad)
    assert not np.shares_memory(bn.running_mean, flat.theta)
    assert sum(len(shape) == 2 for shape in flat.shapes) == 2  # γ, β are not decayed like matrices
    assert bn.gamma.dtype == bn.running_var.dtype == np.float32


def test_from_config_round_trip_with_parameters_and_buffers():
    x, y = blobs()
    model = bn_model()
    fit(model, SoftmaxCrossEntropy(), Adam(0.01), x, y, epochs=2, batch_size=16)
    saved = {**dict(model.named_parameters()), **dict(model.named_buffers())}
    again = Sequential.from_config(model.to_config(), {k: v.copy() for k, v in saved.items()})
    np.testing.assert_array_equal(again.predict_proba(x), model.predict_proba(x))
    with pytest.raises(ValueError, match=r"1.running_var of layer 1 \(BatchNorm\) missing"):
        Sequential.from_config(model.to_config(), {k: v for k, v in saved.items() if k != "1.running_var"})


def test_resume_with_batchnorm_equals_an_uninterrupted_run():
    x, y = blobs()
    kwargs = {"batch_size": 16, "seed": 3, "validation": (x[:20], y[:20])}
    straight = bn_model()
    fit(straight, SoftmaxCrossEntropy(), Adam(0.01), x, y, epochs=4, **kwargs)
    first, optimizer = bn_model(), Adam(0.01)
    history = fit(first, SoftmaxCrossEntropy(), optimizer, x, y, epochs=2, **kwargs)
    # a checkpoint: parameters, buffers, optimiser state and history, into fresh objects
    saved = {**dict(first.named_parameters()), **dict(first.named_buffers())}
    resumed = Sequential.from_config(first.to_config(), {k: v.copy() for k, v in saved.items()})
    resumed_optimizer = Adam(0.01)
    resumed_optimizer.load_state_dict(optimizer.state_dict())
    fit(resumed, SoftmaxCrossEntropy(), resumed_optimizer, x, y, epochs=4,
        history=History.from_dict(history.to_dict()), **kwargs)
    for (_, a), (_, b) in zip(resumed.named_parameters() + resumed.named_buffers(),
                              straight.named_parameters() + straight.named_buffers(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_early_stopping_restores_the_running_statistics_of_the_best_epoch():
    x, y = blobs()
    model = bn_model()
    history = fit(model, SoftmaxCrossEntropy(), Adam(0.01), x, y, epochs=30, batch_size=16,
                  validation=(x, (y + 1) % 3), early_stopping=2)
    assert history.stopped_early
    reference = bn_model()
    fit(reference, SoftmaxCrossEntropy(), Adam(0.01), x, y, epochs=history.best_epoch, batch_size=16)
    for (_, a), (_, b) in zip(model.named_buffers(), reference.named_buffers(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_batchnorm_argument_checks():
    with pytest.raises(ValueError, match="positive number of features"):
        BatchNorm(0)
    with pytest.raises(ValueError, match="momentum"):
        BatchNorm(3, momentum=0.0)
    with pytest.raises(RuntimeError, match="called before forward"):
        BatchNorm(3).backward(np.ones((2, 3), dtype=np.float32))
    assert BatchNorm(3).config() == {"n": 3, "momentum": 0.1, "eps": 1e-5}
