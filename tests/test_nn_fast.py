"""The fast path (`barenet.nn.fast`, fit's default) against its oracle, the textbook engine.

The same training run twice, `fit(..., fast=True)` and `fit(..., fast=False)`, from the same
parameters and seed: bit-identical where the fast path performs the same operations (SGD,
momentum, Nesterov; Dense, ReLU, dropout, BatchNorm; weight decay, max-norm; every loss), equal
to float rounding where it reorders them (Adam's and AdamW's folded bias correction, RMSprop),
checked in float64 there so that rounding is 1e-16, not a failure hidden by a loose tolerance.
"""

from __future__ import annotations

import numpy as np
import pytest

from barenet.nn import (
    MSE,
    OPTIMIZERS,
    BatchNorm,
    BinaryCrossEntropy,
    CrossEntropy,
    Dense,
    Dropout,
    LeakyReLU,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    SoftmaxCrossEntropy,
    Tanh,
    fit,
)
from barenet.nn.fast import FastStep
from barenet.nn.fast.flat import FlatParameters
from barenet.nn.fast.optimizers import BLOCK, FLUSH_EVERY, FusedOptimizer

HYPER = {
    "sgd": {"lr": 0.1},
    "momentum": {"lr": 0.05, "momentum": 0.9},
    "nesterov": {"lr": 0.05, "momentum": 0.8},
    "rmsprop": {"lr": 0.01, "rho": 0.9, "eps": 1e-7},
    "adam": {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
    "adamw": {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
}
REORDERED = {"rmsprop", "adam", "adamw"}  # equal to rounding; the others bit for bit


def network(dtype, dropout=0.0, batchnorm=False, activation=ReLU, n_out=3, last=()):
    rng = np.random.default_rng(0)
    layers = [Dense(6, 8, rng=rng, dtype=dtype)]
    layers += [BatchNorm(8, dtype=dtype)] if batchnorm else []
    layers += [activation()] + ([Dropout(dropout, rng=1)] if dropout else [])
    layers += [Dense(8, 5, rng=rng, dtype=dtype), activation(), Dense(5, n_out, rng=rng, dtype=dtype)]
    return Sequential([*layers, *last])


def data(dtype, n=70, k=3):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((n, 6)).astype(dtype)
    return x, (x[:, :k] + 0.3 * rng.standard_normal((n, k))).argmax(axis=1)


def train_both(make, loss, optimizer, x, y, **kwargs):
    """The same run on both paths: (fast model, fast optimiser), (textbook model, optimiser), histories."""
    runs = []
    for fast in (True, False):
        model, opt = make(), optimizer()
        history = fit(model, loss(), opt, x, y, epochs=3, batch_size=16, seed=4, fast=fast, **kwargs)
        runs.append((model, opt, history))
    return runs


def assert_same(fast, textbook, exact, rtol=1e-10):
    (model, opt, history), (model_t, opt_t, history_t) = fast, textbook
    arrays = model.named_parameters() + model.named_buffers()
    arrays_t = model_t.named_parameters() + model_t.named_buffers()
    for (name, a), (_, b) in zip(arrays, arrays_t, strict=True):
        if exact:
            np.testing.assert_array_equal(a, b, err_msg=name)
        else:
            # atol: before a BatchNorm a Dense bias's gradient is 0 up to rounding (1e-17), which
            # Adam scales up to steps of ~1e-11; parameters themselves are O(0.1)
            np.testing.assert_allclose(a, b, rtol=rtol, atol=1e-9, err_msg=name)
    state, state_t = opt.state_dict(), opt_t.state_dict()
    assert state["t"] == state_t["t"] > 0
    for buffers, buffers_t in zip(state["buffers"], state_t["buffers"], strict=True):
        for key in buffers:
            np.testing.assert_allclose(buffers[key], buffers_t[key], rtol=0 if exact else 1e-8,
                                       atol=0 if exact else 1e-12)
    np.testing.assert_allclose(history.column("train_loss"), history_t.column("train_loss"),
                               rtol=1e-5)  # the loss's value is summed in another order
    assert history.column("train_accuracy") == history_t.column("train_accuracy")


@pytest.mark.parametrize("extras", [{}, {"weight_decay": 0.05}, {"max_norm": 0.9},
                                    {"weight_decay": 0.05, "max_norm": 0.9}],
                         ids=["plain", "decay", "maxnorm", "decay+maxnorm"])
@pytest.mark.parametrize("layers", [{}, {"dropout": 0.3}, {"batchnorm": True},
                                    {"dropout": 0.3, "batchnorm": True}],
                         ids=["mlp", "dropout", "batchnorm", "both"])
@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_fit_fast_equals_the_textbook_engine(name, layers, extras):
    dtype = np.float64 if name in REORDERED else np.float32
    x, y = data(dtype)
    runs = train_both(lambda: network(dtype, **layers), SoftmaxCrossEntropy,
                      lambda: OPTIMIZERS[name](**HYPER[name], **extras), x, y)
    assert_same(*runs, exact=name not in REORDERED)


@pytest.mark.parametrize(("loss", "activation", "last", "n_out", "targets"), [
    (SoftmaxCrossEntropy, ReLU, (), 3, "labels"),
    (SoftmaxCrossEntropy, ReLU, (), 3, "onehot"),
    (lambda: SoftmaxCrossEntropy(label_smoothing=0.1), Tanh, (), 3, "labels"),
    (CrossEntropy, LeakyReLU, (Softmax(),), 3, "labels"),
    (MSE, Sigmoid, (Sigmoid(),), 3, "onehot"),
    (BinaryCrossEntropy, Tanh, (), 1, "binary"),
], ids=["sce-labels", "sce-onehot", "smoothing", "ce-softmax", "mse", "bce"])
def test_every_loss_and_activation_fast_equals_the_textbook_bit_for_bit(loss, activation, last,
                                                                        n_out, targets):
    x, labels = data(np.float32)
    y = {"labels": labels, "onehot": np.eye(3, dtype=np.float32)[labels],
         "binary": (labels == 0).astype(np.int64)}[targets]
    runs = train_both(lambda: network(np.float32, activation=activation, n_out=n_out, last=last),
                      loss, lambda: OPTIMIZERS["momentum"](**HYPER["momentum"]), x, y)
    assert_same(*runs, exact=True)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("weight_decay", [0.0, 0.05])
@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_fused_optimiser_on_many_cache_blocks_equals_the_textbook(name, weight_decay, threads):
    shapes = [(301, 700), (700,), (700, 31), (31,)]
    flat = FlatParameters(shapes, dtype=np.float64)
    assert flat.size > 3 * BLOCK and flat.size % BLOCK  # several blocks and a partial last one
    rng = np.random.default_rng(5)
    flat.theta[...] = rng.standard_normal(flat.size)
    plain = [view.copy() for view in flat.views]
    fused_opt = OPTIMIZERS[name](**HYPER[name], weight_decay=weight_decay)
    textbook = OPTIMIZERS[name](**HYPER[name], weight_decay=weight_decay)
    fused = FusedOptimizer(fused_opt, flat, threads=threads)
    for _ in range(FLUSH_EVERY + 1):  # past one flush of the state
        grads = [rng.standard_normal(shape) * 0.1 for shape in shapes]
        for view, g in zip(flat.grad_views, grads, strict=True):
            view[...] = g
        fused.step()
        textbook.step(list(zip(plain, grads, strict=True)))
    fused.close()
    exact = name not in REORDERED
    for view, expected in zip(flat.views, plain, strict=True):
        if exact:
            np.testing.assert_array_equal(view, expected)
        else:
            np.testing.assert_allclose(view, expected, rtol=1e-12, atol=1e-14)
    assert fused_opt.t == textbook.t == FLUSH_EVERY + 1


def test_the_fast_step_is_the_textbook_step_on_one_batch():
    x, y = data(np.float32, n=16)
    fast_model, textbook = network(np.float32), network(np.float32)
    step = FastStep(fast_model, SoftmaxCrossEntropy(), OPTIMIZERS["sgd"](0.1))
    value, predicted = step(x, y)
    step.close()
    loss, opt = SoftmaxCrossEntropy(), OPTIMIZERS["sgd"](0.1)
    output = textbook.forward(x, training=True)
    expected = loss.forward(output, y)
    textbook.backward(loss.backward())
    opt.step(textbook.parameters())
    assert value == pytest.approx(expected, rel=1e-6)
    np.testing.assert_array_equal(predicted, output.argmax(axis=1))
    for (_, a), (_, b) in zip(fast_model.parameters(), textbook.parameters(), strict=True):
        np.testing.assert_array_equal(a, b)  # the gradients, the first layer's included
    for (_, a), (_, b) in zip(fast_model.named_parameters(), textbook.named_parameters(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_an_optimiser_of_ones_own_is_stepped_as_written():
    class HalfSGD(OPTIMIZERS["sgd"]):  # a learner's rule: no fused version, so fit calls update
        def update(self, i, theta, g):
            theta -= 0.5 * self.lr * g

    x, y = data(np.float32)
    runs = train_both(lambda: network(np.float32), SoftmaxCrossEntropy, lambda: HalfSGD(0.2), x, y)
    plain = train_both(lambda: network(np.float32), SoftmaxCrossEntropy,
                       lambda: OPTIMIZERS["sgd"](0.1), x, y)
    assert_same(*runs, exact=True)
    assert_same(runs[0], plain[0], exact=True)  # ½ · 0.2 = 0.1
