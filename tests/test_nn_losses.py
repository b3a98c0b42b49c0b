"""Losses worked by hand, the fused gradients p − y, targets, and scikit-learn's loss values."""

from __future__ import annotations

import numpy as np
import pytest

from barenet.nn import MSE, BinaryCrossEntropy, CrossEntropy, SoftmaxCrossEntropy
from barenet.nn.activations import sigmoid, softmax
from barenet.nn.losses import LOSSES, log_softmax, softplus, target_matrix

LN2, LN3 = np.log(2), np.log(3)


def test_mse_by_hand():
    # a = [[1, 2], [3, 4]], y = [[1, 0], [0, 4]]: a − y = [[0, 2], [3, 0]]
    # L = 1/(2N) Σ ‖a − y‖² = (0 + 4 + 9 + 0) / (2·2) = 13/4;  ∂L/∂a = (a − y)/N
    loss = MSE()
    a = np.array([[1.0, 2], [3, 4]])
    assert loss.forward(a, np.array([[1.0, 0], [0, 4]])) == pytest.approx(13 / 4)
    np.testing.assert_array_equal(loss.backward(), [[0, 1], [1.5, 0]])
    # integer labels mean one-hot rows: [0, 1] -> [[1, 0], [0, 1]]: (0 + 4 + 9 + 9) / 4
    assert loss.forward(a, np.array([0, 1])) == pytest.approx(22 / 4)


def test_mse_matches_scikit_learn_up_to_its_mean_over_outputs():
    sk = pytest.importorskip("sklearn.neural_network._base")
    # scikit-learn's squared_loss averages over outputs too: ours (a sum over K) is K times it.
    rng = np.random.default_rng(0)
    a, y = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    assert MSE().forward(a, y) == pytest.approx(3 * sk.squared_loss(y, a))


def test_softmax_cross_entropy_by_hand():
    # row 1: z = [0, ln 2, ln 3] -> p = [1/6, 1/3, 1/2]; label 2: −log(1/2) = ln 2
    # row 2: z = [1000, 1000, 1000] -> p = [1/3, 1/3, 1/3]; label 0: −log(1/3) = ln 3
    # L = (ln 2 + ln 3)/2;  ∂L/∂z = (p − y)/N
    z = np.array([[0.0, LN2, LN3], [1000, 1000, 1000]])
    expected_grad = (np.array([[1 / 6, 1 / 3, 1 / 2], [1 / 3, 1 / 3, 1 / 3]]) - [[0, 0, 1], [1, 0, 0]]) / 2
    for target in (np.array([2, 0]), np.array([[0.0, 0, 1], [1, 0, 0]])):  # labels, one-hot
        loss = SoftmaxCrossEntropy()
        assert loss.forward(z, target) == pytest.approx((LN2 + LN3) / 2)
        np.testing.assert_allclose(loss.backward(), expected_grad, rtol=1e-12)


def test_cross_entropy_on_probabilities_by_hand():
    # p = [[0.2, 0.8], [0.6, 0.4]], labels [1, 0]: L = −(ln 0.8 + ln 0.6)/2
    # ∂L/∂p = −y/(N p) = [[0, −1/(2·0.8)], [−1/(2·0.6), 0]]
    loss = CrossEntropy()
    p = np.array([[0.2, 0.8], [0.6, 0.4]])
    assert loss.forward(p, np.array([1, 0])) == pytest.approx(-(np.log(0.8) + np.log(0.6)) / 2)
    np.testing.assert_allclose(loss.backward(), [[0, -0.625], [-1 / 1.2, 0]])


def test_cross_entropy_on_probabilities_matches_scikit_learn():
    sk = pytest.importorskip("sklearn.neural_network._base")
    p = np.array([[0.2, 0.8], [0.6, 0.4]])
    assert CrossEntropy().forward(p, np.array([1, 0])) == pytest.approx(sk.log_loss(np.eye(2)[[1, 0]], p))


def test_binary_cross_entropy_from_logits_by_hand():
    # z = 0, y = 1: σ = 1/2, L = −ln(1/2) = ln 2, ∂ = σ − y = −1/2
    # z = ln 3, y = 0: σ = 3/4, L = −ln(1 − 3/4) = ln 4, ∂ = 3/4
    # L = (ln 2 + ln 4)/2 = 1.5 ln 2;  ∂L/∂z = (σ − y)/N = [−1/4, 3/8]
    z = np.array([[0.0], [LN3]])
    for target in (np.array([1, 0]), np.array([[1.0], [0.0]])):
        loss = BinaryCrossEntropy()
        assert loss.forward(z, target) == pytest.approx(1.5 * LN2)
        np.testing.assert_allclose(loss.backward(), [[-0.25], [0.375]])


def test_binary_cross_entropy_matches_scikit_learn_multilabel():
    sk = pytest.importorskip("sklearn.neural_network._base")
    rng = np.random.default_rng(0)
    z = rng.standard_normal((6, 3)) * 2
    y = rng.integers(0, 2, size=(6, 3)).astype(np.float64)
    assert BinaryCrossEntropy().forward(z, y) == pytest.approx(sk.binary_log_loss(y, sigmoid(z)), rel=1e-12)


def test_fused_losses_equal_the_unfused_pair():
    # softmax then CrossEntropy, sigmoid then the textbook BCE: the same values and gradients
    rng = np.random.default_rng(1)
    z = rng.standard_normal((4, 3))
    labels = np.array([0, 2, 1, 2])
    ce = CrossEntropy()
    fused = SoftmaxCrossEntropy()
    assert fused.forward(z, labels) == pytest.approx(ce.forward(softmax(z), labels), rel=1e-12)
    p = softmax(z)
    g = ce.backward()
    via_jacobian = p * (g - (g * p).sum(axis=1, keepdims=True))  # Softmax.backward
    np.testing.assert_allclose(fused.backward(), via_jacobian, rtol=1e-10)
    y = rng.integers(0, 2, size=(4, 3)).astype(np.float64)
    s = 1 / (1 + np.exp(-z))
    textbook = -np.mean(np.sum(y * np.log(s) + (1 - y) * np.log(1 - s), axis=1))
    assert BinaryCrossEntropy().forward(z, y) == pytest.approx(textbook, rel=1e-12)


def test_log_softmax_and_softplus():
    z = np.array([[0.0, LN2, LN3]])
    np.testing.assert_allclose(log_softmax(z), np.log([[1 / 6, 1 / 3, 1 / 2]]))
    np.testing.assert_allclose(softplus(np.array([0.0, 50.0, -50.0])), [LN2, 50.0, np.exp(-50.0)])


def test_target_matrix():
    out = np.zeros((3, 3), dtype=np.float32)
    t = target_matrix(np.array([2, 0, 1]), out)
    np.testing.assert_array_equal(t, np.eye(3)[[2, 0, 1]])
    assert t.dtype == np.float32
    column = target_matrix(np.array([1, 0, 1]), np.zeros((3, 1)))
    np.testing.assert_array_equal(column, [[1], [0], [1]])
    with pytest.raises(ValueError, match="do not fit"):
        target_matrix(np.array([1, 0]), out)


def test_predicted_labels_and_thresholds():
    assert list(BinaryCrossEntropy().labels(np.array([[-0.1], [0.1]]))) == [0, 1]  # logits: z > 0
    assert list(MSE().labels(np.array([[0.4], [0.6]]))) == [0, 1]  # probabilities: a > 0.5
    assert list(SoftmaxCrossEntropy().labels(np.array([[1.0, 3.0], [2.0, -1.0]]))) == [1, 0]


def test_loss_registry():
    assert LOSSES == {"mse": MSE, "cross_entropy": CrossEntropy,
                      "softmax_cross_entropy": SoftmaxCrossEntropy,
                      "binary_cross_entropy": BinaryCrossEntropy}
    assert repr(MSE()) == "MSE()"


def test_labels_from_outputs_is_the_one_rule_for_labels():
    from barenet.nn import Dense, Sequential, evaluate, labels_from_outputs

    rng = np.random.default_rng(0)
    scores = rng.standard_normal((50, 4))
    np.testing.assert_array_equal(labels_from_outputs(scores), scores.argmax(axis=1))
    np.testing.assert_array_equal(labels_from_outputs(np.array([[0.4], [0.6], [0.5]])), [0, 1, 0])
    np.testing.assert_array_equal(labels_from_outputs(np.array([[-0.1], [0.1]]), threshold=0.0), [0, 1])
    labels = np.array([3, 0, 2])
    assert labels_from_outputs(labels) is labels  # labels pass through
    np.testing.assert_array_equal(labels_from_outputs(np.eye(4)[labels]), labels)  # one-hot rows
    # predict, the losses' labels() and evaluate's accuracy all agree with it
    model = Sequential([Dense(3, 4, rng=1)], output_activation="softmax")
    x = rng.standard_normal((50, 3)).astype(np.float32)
    expected = labels_from_outputs(model.forward(x))
    np.testing.assert_array_equal(model.predict(x), expected)
    np.testing.assert_array_equal(SoftmaxCrossEntropy().labels(model.forward(x)), expected)
    _, accuracy = evaluate(model, SoftmaxCrossEntropy(), x, expected)
    assert accuracy == 1.0


def test_label_smoothing_by_hand():
    # K = 2, ε = 0.2: the target [0, 1] becomes y' = 0.8·[0, 1] + 0.1 = [0.1, 0.9]
    z = np.array([[0.0, np.log(3.0)]])  # p = [0.25, 0.75]
    loss = SoftmaxCrossEntropy(label_smoothing=0.2)
    expected = -(0.1 * np.log(0.25) + 0.9 * np.log(0.75))
    assert loss.forward(z, np.array([1])) == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(loss.backward(), [[0.25 - 0.1, 0.75 - 0.9]], rtol=1e-12)  # p − y'
    # the same from one-hot rows, and ε = 0 is the plain loss
    assert loss.forward(z, np.array([[0.0, 1.0]])) == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(loss.backward(), [[0.15, -0.15]], rtol=1e-12)
    assert SoftmaxCrossEntropy(0.0).forward(z, np.array([1])) == pytest.approx(-np.log(0.75))
    with pytest.raises(ValueError, match="label smoothing"):
        SoftmaxCrossEntropy(label_smoothing=1.0)
    assert repr(SoftmaxCrossEntropy(0.1)) == "SoftmaxCrossEntropy(label_smoothing=0.1)"


@pytest.mark.parametrize("targets", ["labels", "onehot"])
def test_label_smoothing_gradient_check_alone_and_in_a_network_with_dropout(targets):
    from barenet.nn import ReLU
    from nn_helpers import check, freeze_dropout, mlp

    rng = np.random.default_rng(3)
    labels = rng.integers(0, 4, 6)
    y = labels if targets == "labels" else np.eye(4)[labels]
    loss = SoftmaxCrossEntropy(label_smoothing=0.1)
    alone = mlp([5, 4], ReLU, seed=1)  # one Dense layer: the loss's gradient reaches W, b and x
    check(alone, loss, rng.standard_normal((6, 5)), y)
    network = mlp([5, 7, 6, 4], ReLU, seed=2, dropout=0.3)
    x = rng.standard_normal((6, 5))
    freeze_dropout(network, x)
    check(network, loss, x, y, training=True)
