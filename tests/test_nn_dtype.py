"""float32 in, float32 throughout: activations, loss gradients, parameter gradients, optimiser state."""

from __future__ import annotations

import numpy as np
import pytest

from barenet.nn import (
    MSE,
    SGD,
    Adam,
    BinaryCrossEntropy,
    CrossEntropy,
    Dense,
    Dropout,
    Identity,
    LeakyReLU,
    Momentum,
    ReLU,
    RMSprop,
    Sequential,
    Sigmoid,
    Softmax,
    SoftmaxCrossEntropy,
    Tanh,
    fit,
)

CASES = [  # (output layer or None, loss)
    (None, SoftmaxCrossEntropy),
    (None, BinaryCrossEntropy),
    (Softmax, CrossEntropy),
    (Sigmoid, MSE),
    (Identity, MSE),
]


def every_layer_model(dtype, output):
    rng = np.random.default_rng(0)
    layers = [Dense(4, 6, rng=rng, dtype=dtype), ReLU(), Dropout(0.2, rng=rng),
              Dense(6, 6, rng=rng, dtype=dtype), LeakyReLU(), Dense(6, 5, rng=rng, dtype=dtype), Sigmoid(),
              Dense(5, 5, rng=rng, dtype=dtype), Tanh(), Dense(5, 3, rng=rng, dtype=dtype)]
    if output is not None:
        layers.append(output())
    return Sequential(layers)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(("output", "loss_class"), CASES, ids=lambda c: getattr(c, "__name__", "logits"))
@pytest.mark.parametrize("targets", ["labels", "onehot64"])
def test_one_training_step_keeps_the_dtype(dtype, output, loss_class, targets):
    model = every_layer_model(dtype, output)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((7, 4)).astype(dtype)
    labels = rng.integers(0, 3, size=7)
    y = labels if targets == "labels" else np.eye(3)[labels]  # one-hot in float64 on purpose
    loss = loss_class()

    a = x
    for layer in model.layers:  # forward, layer by layer, checking each output
        a = layer.forward(a, training=True)
        assert a.dtype == dtype, f"{layer!r} output {a.dtype}"
    value = loss.forward(a, y)
    assert isinstance(value, float) and np.isfinite(value)
    grad = loss.backward()
    assert grad.dtype == dtype and grad.shape == a.shape
    for layer in reversed(model.layers):
        grad = layer.backward(grad)
        assert grad.dtype == dtype, f"{layer!r} input gradient {grad.dtype}"
    for p, g in model.parameters():
        assert p.dtype == g.dtype == dtype

    for optimizer in (SGD(0.1, weight_decay=0.01), Momentum(0.1, nesterov=True, weight_decay=0.01),
                      RMSprop(0.01, weight_decay=0.01), Adam(0.01, weight_decay=0.01)):
        optimizer.step(model.parameters())
        optimizer.step(model.parameters())
        assert all(p.dtype == dtype for p, _ in model.parameters())
        for name in optimizer.moments:
            assert all(b.dtype == dtype for b in getattr(optimizer, name)), f"{optimizer!r} {name}"


def test_adam_moments_are_float32_after_fit():
    rng = np.random.default_rng(0)
    model = Sequential([Dense(3, 4, rng=rng), ReLU(), Dropout(0.1, rng=rng), Dense(4, 2, rng=rng)])
    x = rng.standard_normal((20, 3)).astype(np.float32)
    y = rng.integers(0, 2, size=20)
    adam = Adam(0.01)
    fit(model, SoftmaxCrossEntropy(), adam, x, y, epochs=2, batch_size=8)
    assert all(p.dtype == g.dtype == np.float32 for p, g in model.parameters())
    assert all(m.dtype == v.dtype == np.float32 for m, v in zip(adam.m, adam.v, strict=True))
    assert model.predict_proba(x).dtype == np.float32
    saved = adam.state_dict()
    assert all(s["m"].dtype == s["v"].dtype == np.float32 for s in saved["buffers"])
    fresh = Adam(0.01)
    fresh.load_state_dict(saved)
    assert all(m.dtype == v.dtype == np.float32 for m, v in zip(fresh.m, fresh.v, strict=True))
