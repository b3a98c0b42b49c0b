"""Backprop against central differences, in float64, for every layer, loss and combination.

Every check asserts a max relative error < 1e-6 (`nn_helpers.TOLERANCE`), with the error as
`barenet.nn.gradcheck.relative_error` defines it. Inputs are seeded random float64 numbers, so a
ReLU kink (a pre-activation within ε = 1e-6 of 0) is vanishingly unlikely, and reproducible.
"""

from __future__ import annotations

import numpy as np
import pytest

from barenet.nn import (
    MSE,
    BatchNorm,
    BinaryCrossEntropy,
    CrossEntropy,
    Dense,
    Dropout,
    Identity,
    LeakyReLU,
    ReLU,
    Sequential,
    Sigmoid,
    Softmax,
    SoftmaxCrossEntropy,
    Tanh,
)
from barenet.nn.gradcheck import (
    check_gradients,
    float64_copy,
    numerical_gradient,
    relative_error,
    rounding_noise,
)
from nn_helpers import TOLERANCE, check, freeze_dropout, gradient_errors, mlp

ACTIVATIONS = [ReLU, LeakyReLU, Sigmoid, Tanh, Identity]


def data(n, n_in, k, seed=1, onehot=False):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, n_in))
    labels = rng.integers(0, k, size=n)
    return x, (np.eye(k)[labels] if onehot else labels)


# --- the checker itself ---------------------------------------------------------------------------

def test_relative_error_definition():
    # max |a − n| / max(|a|, |n|) over the whole array
    assert relative_error(np.array([1.0, -2.0]), np.array([1.0, -2.2])) == pytest.approx(0.2 / 2.2)
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(np.array([1e-12]), np.array([0.0])) == 1.0


def test_numerical_gradient_of_a_known_function():
    # f(w) = Σ w³  ->  ∂f/∂w = 3w²;  central differences have error O(ε²)
    w = np.array([[0.5, -1.0], [2.0, 3.0]])
    g = numerical_gradient(lambda: float((w**3).sum()), w)
    np.testing.assert_allclose(g, 3 * w**2, rtol=1e-8)
    np.testing.assert_array_equal(w, [[0.5, -1.0], [2.0, 3.0]])  # restored after perturbing


def test_gradient_check_reports_every_parameter_and_the_input():
    model = mlp([3, 4, 2], Tanh)
    x, y = data(5, 3, 2)
    errors = check(model, SoftmaxCrossEntropy(), x, y)
    assert list(errors) == ["0.W", "0.b", "2.W", "2.b", "input"]


def test_a_broken_backward_fails_the_check(monkeypatch):
    # Sigmoid.backward missing its factor (1 − a): grad ⊙ a instead of grad ⊙ a(1 − a).
    def broken(self, grad_out):
        return grad_out * self.a

    monkeypatch.setattr(Sigmoid, "backward", broken)
    model = mlp([3, 4, 2], Sigmoid)
    x, y = data(5, 3, 2)
    errors = gradient_errors(model, SoftmaxCrossEntropy(), x, y)
    assert errors["0.W"] > 1e-2 and errors["input"] > 1e-2  # ≫ 1e-6: the checker can fail
    assert errors["2.W"] < TOLERANCE  # the layer above the broken one is still right


def test_a_broken_dense_gradient_fails_the_check(monkeypatch):
    # db forgetting to sum over the batch (takes the first row only)
    original = Dense.backward

    def broken(self, grad_out):
        dx = original(self, grad_out)
        self.db[...] = grad_out[0]
        return dx

    monkeypatch.setattr(Dense, "backward", broken)
    errors = gradient_errors(mlp([3, 4, 2], Tanh), SoftmaxCrossEntropy(), *data(5, 3, 2))
    assert errors["0.b"] > 1e-2 and errors["2.b"] > 1e-2


# --- every activation, in a 3-Dense stack, with each loss -----------------------------------------

@pytest.mark.parametrize("activation", ACTIVATIONS, ids=lambda a: a.__name__)
@pytest.mark.parametrize("batch", [1, 4])
def test_activation_in_three_layer_stack(activation, batch):
    model = mlp([4, 5, 4, 3], activation)
    check(model, SoftmaxCrossEntropy(), *data(batch, 4, 3))


def test_leaky_relu_negative_slope_matters():
    # A large α makes the negative side's gradient big enough to be seen by the check.
    model = Sequential([Dense(3, 6, rng=0, dtype=np.float64), LeakyReLU(0.3),
                        Dense(6, 2, rng=1, dtype=np.float64)])
    x, y = data(6, 3, 2)
    assert (model.layers[0].forward(x) < 0).any()
    check(model, MSE(), x, y)


@pytest.mark.parametrize("batch", [1, 3])
@pytest.mark.parametrize("onehot", [False, True], ids=["labels", "onehot"])
def test_dense_sigmoid_mse(batch, onehot):
    model = mlp([4, 5, 3, 3], Sigmoid, output=Sigmoid)
    check(model, MSE(), *data(batch, 4, 3, onehot=onehot))


@pytest.mark.parametrize("batch", [1, 3])
@pytest.mark.parametrize("onehot", [False, True], ids=["labels", "onehot"])
def test_dense_tanh_binary_cross_entropy_from_logits(batch, onehot):
    model = mlp([4, 5, 4, 3], Tanh)
    check(model, BinaryCrossEntropy(), *data(batch, 4, 3, onehot=onehot))


def test_binary_cross_entropy_single_output_and_multilabel_targets():
    model = mlp([3, 4, 4, 1], Tanh)
    x, labels = data(5, 3, 2)
    check(model, BinaryCrossEntropy(), x, labels)  # (N,) labels -> (N, 1) column
    model = mlp([3, 4, 4, 3], Tanh)
    multilabel = np.random.default_rng(2).integers(0, 2, size=(5, 3)).astype(np.float64)
    check(model, BinaryCrossEntropy(), x, multilabel)


@pytest.mark.parametrize("batch", [1, 3])
@pytest.mark.parametrize("onehot", [False, True], ids=["labels", "onehot"])
def test_dense_softmax_cross_entropy_on_probabilities(batch, onehot):
    model = mlp([4, 5, 4, 3], Tanh, output=Softmax)
    check(model, CrossEntropy(), *data(batch, 4, 3, onehot=onehot))


@pytest.mark.parametrize("batch", [1, 3])
@pytest.mark.parametrize("onehot", [False, True], ids=["labels", "onehot"])
def test_dense_relu_softmax_cross_entropy_fused(batch, onehot):
    model = mlp([4, 6, 5, 3], ReLU)
    check(model, SoftmaxCrossEntropy(), *data(batch, 4, 3, onehot=onehot))


def test_soft_targets():
    # Cross-entropy against a distribution, not a one-hot row: still p − y.
    x, _ = data(4, 3, 3)
    y = np.random.default_rng(3).dirichlet(np.ones(3), size=4)
    check(mlp([3, 4, 3], Tanh), SoftmaxCrossEntropy(), x, y)
    check(mlp([3, 4, 3], Tanh, output=Softmax), CrossEntropy(), x, y)


def test_identity_output_regression_with_mse():
    model = mlp([3, 5, 4, 2], Tanh, output=Identity)
    x, _ = data(4, 3, 2)
    targets = np.random.default_rng(4).standard_normal((4, 2))
    check(model, MSE(), x, targets)


def test_single_dense_layer_each_loss():
    x, y = data(3, 4, 3)
    for loss in (MSE(), SoftmaxCrossEntropy(), BinaryCrossEntropy()):
        check(Sequential([Dense(4, 3, rng=0, dtype=np.float64)]), loss, x, y)


def test_activation_first_and_two_activations_in_a_row():
    # Activations that do not follow a Dense are not in place; the chain rule holds either way.
    model = Sequential([Tanh(), Dense(3, 4, rng=0, dtype=np.float64), Sigmoid(), Tanh(),
                        Dense(4, 2, rng=1, dtype=np.float64)])
    check(model, SoftmaxCrossEntropy(), *data(4, 3, 2))


# --- dropout, with its mask fixed ----------------------------------------------------------------

@pytest.mark.parametrize("batch", [1, 5])
def test_dropout_with_frozen_mask(batch):
    model = mlp([4, 6, 5, 3], ReLU, dropout=0.4)
    x, y = data(batch, 4, 3)
    freeze_dropout(model, x)
    mask = model.layers[2].scaled_mask.copy()
    assert set(np.unique(mask)) <= {0.0, 1 / 0.6}
    check(model, SoftmaxCrossEntropy(), x, y, training=True)
    np.testing.assert_array_equal(model.layers[2].scaled_mask, mask)  # still the same mask


def test_dropout_on_the_input():
    model = Sequential([Dropout(0.3, rng=0), Dense(5, 4, rng=1, dtype=np.float64), Tanh(),
                        Dense(4, 2, rng=2, dtype=np.float64)])
    x, y = data(6, 5, 2)
    freeze_dropout(model, x)
    check(model, MSE(), x, y, training=True)


# --- what a learner points it at: float32 models, samples, tiny gradients -------------------------

def test_float32_model_is_checked_in_a_float64_copy():
    model = Sequential([Dense(4, 5, rng=0), Tanh(), Dense(5, 3, rng=1)])  # float32
    before = [param.copy() for _, param in model.named_parameters()]
    x, y = data(6, 4, 3)
    errors = gradient_errors(model, SoftmaxCrossEntropy(), x.astype(np.float32), y)
    assert max(errors.values()) < TOLERANCE  # in float32 the same check gives about 1e-3
    for (_, param), old in zip(model.named_parameters(), before, strict=True):
        assert param.dtype == np.float32
        np.testing.assert_array_equal(param, old)


def test_float64_copy_is_the_same_function_with_the_dropout_mask():
    model = Sequential([Dense(4, 6, rng=0), ReLU(), Dropout(0.5, rng=3), Dense(6, 2, rng=1)])
    x = data(5, 4, 2)[0].astype(np.float32)
    freeze_dropout(model, x)
    copy = float64_copy(model)
    assert copy.dtype == np.float64 and copy.layers[2].frozen
    np.testing.assert_allclose(copy.forward(x.astype(np.float64), training=True),
                               model.forward(x, training=True), rtol=1e-5, atol=1e-6)


def test_sampled_entries_are_seeded_distinct_and_counted():
    model = mlp([6, 8, 3], Tanh)
    x, y = data(4, 6, 3)
    calls = []
    checks = check_gradients(model, SoftmaxCrossEntropy(), x, y, sample=5, rng=7,
                             progress=lambda done, total: calls.append((done, total)))
    assert [c.name for c in checks] == ["0.W", "0.b", "2.W", "2.b", "input"]
    sizes = {"0.W": 48, "0.b": 8, "2.W": 24, "2.b": 3, "input": 24}
    for one in checks:
        expected = min(5, sizes[one.name])
        assert len(one.indices) == len(set(one.indices.tolist())) == expected
        assert one.size == sizes[one.name] and one.indices.max() < one.size
        assert one.error < TOLERANCE
    total = 5 + 5 + 5 + 3 + 5
    assert calls == [(done, total) for done in range(1, total + 1)]
    again = check_gradients(model, SoftmaxCrossEntropy(), x, y, sample=5, rng=7)
    other = check_gradients(model, SoftmaxCrossEntropy(), x, y, sample=5, rng=8)
    assert all(np.array_equal(a.indices, b.indices) for a, b in zip(checks, again, strict=True))
    assert not all(np.array_equal(a.indices, b.indices) for a, b in zip(checks, other, strict=True))


def confident_network():
    """A float64 network that classifies its batch with near certainty: L ≈ 4e-8, every gradient
    below 1e-5 (like a well-trained model on images it gets right)."""
    model = mlp([4, 6, 3], Tanh)
    model.layers[2].W *= 100.0
    x = data(8, 4, 3)[0]
    y = model.forward(x).argmax(axis=1)  # the labels it predicts
    return model, x, y


def test_tiny_gradients_need_the_floor_and_pass_with_it():
    model, x, y = confident_network()
    checks = check_gradients(model, SoftmaxCrossEntropy(), x, y)
    assert checks[0].loss < 1e-3
    noise = rounding_noise(checks[0].loss, 1e-6)
    assert checks[0].floor == pytest.approx(noise / 1e-6)
    worst_plain = max(relative_error(c.analytic, c.numeric) for c in checks)  # without a floor
    assert worst_plain > TOLERANCE  # a plain relative test fails this correct network ...
    for one in checks:
        assert one.error < TOLERANCE  # ... the floored one passes it
        assert np.abs(one.analytic - one.numeric).max() < noise  # at the noise level
        assert one.scale < one.floor


def test_tiny_gradients_still_catch_a_broken_backward(monkeypatch):
    def broken(self, grad_out):  # tanh′ = 1 − a², with the square forgotten
        return grad_out * (1 - self.a)

    model, x, y = confident_network()
    monkeypatch.setattr(Tanh, "backward", broken)
    errors = gradient_errors(model, SoftmaxCrossEntropy(), x, y)
    # the mistake is as large as the gradients (~1e-6), thousands of times the noise (~2e-10)
    assert errors["0.W"] > 1e-3 and errors["input"] > 1e-3
    assert errors["2.W"] < TOLERANCE


def test_a_float32_model_that_cannot_be_copied_is_an_error_not_a_float32_check():
    class Doubling(Identity):  # a learner's own layer: not in LAYERS, so no float64 copy
        def forward(self, x, training=False):
            return 2 * x

        def backward(self, grad_out):
            return 2 * grad_out

    model = Sequential([Dense(3, 2, rng=0), Doubling()])  # float32
    x, y = data(4, 3, 2)
    with pytest.raises(ValueError, match=r"float64 copy failed.*unknown layer type 'Doubling'.*"
                                         r"build the network with dtype=np.float64"):
        gradient_errors(model, MSE(), x, y)


def test_a_float32_batchnorm_network_is_checked_in_training_mode():
    """The float64 copy carries the running statistics (issue 18: 1e-2 errors in float32)."""
    model = Sequential([Dense(5, 6, rng=0), BatchNorm(6), ReLU(), Dense(6, 3, rng=1)])
    x, y = data(8, 5, 3)
    model.forward(x.astype(np.float32), training=True)  # running statistics away from 0 and 1
    running = [b.copy() for _, b in model.named_buffers()]
    checks = check_gradients(model, SoftmaxCrossEntropy(), x.astype(np.float32), y, training=True)
    assert [c.name for c in checks] == ["0.W", "0.b", "1.gamma", "1.beta", "3.W", "3.b", "input"]
    assert max(c.error for c in checks) < TOLERANCE
    copy = float64_copy(model)
    for (name, mine), (_, theirs) in zip(copy.named_buffers(), model.named_buffers(), strict=True):
        assert mine.dtype == np.float64, name
        np.testing.assert_array_equal(mine, theirs)
    for (_, buffer), before in zip(model.named_buffers(), running, strict=True):
        np.testing.assert_array_equal(buffer, before)  # the check ran in the copy


def test_a_sample_of_no_entries_is_refused():
    with pytest.raises(ValueError, match="sample must be at least 1 entry per array, got 0"):
        gradient_errors(mlp([3, 2], Tanh), MSE(), *data(2, 3, 2), sample=0)
