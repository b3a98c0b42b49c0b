"""Activations by hand, against scikit-learn's own implementations, and the softmax Jacobian."""

from __future__ import annotations

import numpy as np
import pytest

from barenet.nn import Identity, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh
from barenet.nn.activations import sigmoid, softmax


def test_relu_by_hand():
    layer = ReLU()
    z = np.array([[-2.0, -0.5, 0.0, 0.5, 3.0]])
    np.testing.assert_array_equal(layer.forward(z), [[0, 0, 0, 0.5, 3]])
    # g' = [z > 0]; the subgradient at 0 is taken as 0
    np.testing.assert_array_equal(layer.backward(np.full_like(z, 10)), [[0, 0, 0, 10, 10]])


def test_leaky_relu_by_hand():
    layer = LeakyReLU(alpha=0.1)
    z = np.array([[-2.0, 0.0, 3.0]])
    np.testing.assert_allclose(layer.forward(z), [[-0.2, 0, 3]])
    np.testing.assert_allclose(layer.backward(np.array([[1.0, 1.0, 1.0]])), [[0.1, 0.1, 1]])
    assert layer.config() == {"alpha": 0.1}


def test_sigmoid_by_hand():
    # σ(0) = 1/2, σ(ln 3) = 1/(1 + 1/3) = 3/4, σ(−ln 3) = 1/4;  σ' = a(1 − a): 1/4, 3/16, 3/16
    layer = Sigmoid()
    z = np.array([[0.0, np.log(3), -np.log(3)]])
    np.testing.assert_allclose(layer.forward(z), [[0.5, 0.75, 0.25]])
    np.testing.assert_allclose(layer.backward(np.ones_like(z)), [[0.25, 3 / 16, 3 / 16]])


def test_tanh_by_hand():
    # tanh(ln 2) = (2 − 1/2) / (2 + 1/2) = 3/5;  tanh' = 1 − a² = 16/25
    layer = Tanh()
    z = np.array([[np.log(2), 0.0]])
    np.testing.assert_allclose(layer.forward(z), [[0.6, 0.0]])
    np.testing.assert_allclose(layer.backward(np.ones_like(z)), [[16 / 25, 1.0]])


def test_softmax_by_hand():
    # z = [0, ln 2, ln 3]: e^z = [1, 2, 3], Σ = 6, p = [1/6, 1/3, 1/2]; adding 1000 changes nothing
    z = np.array([[0.0, np.log(2), np.log(3)]])
    np.testing.assert_allclose(softmax(z), [[1 / 6, 1 / 3, 1 / 2]])
    np.testing.assert_allclose(softmax(z + 1000), [[1 / 6, 1 / 3, 1 / 2]])


def test_softmax_jvp_equals_the_explicit_jacobian():
    # ∂p_k/∂z_j = p_k (δ_kj − p_j): J = diag(p) − p pᵀ (symmetric); the layer returns J g per row
    rng = np.random.default_rng(0)
    z = rng.standard_normal((4, 5))
    g = rng.standard_normal((4, 5))
    layer = Softmax()
    p = layer.forward(z)
    dz = layer.backward(g)
    for n in range(4):
        jacobian = np.diag(p[n]) - np.outer(p[n], p[n])
        np.testing.assert_allclose(dz[n], jacobian.T @ g[n], rtol=1e-12, atol=1e-15)
        # and J itself, column by column, from finite differences of softmax
        eps = 1e-6
        numeric = np.stack([(softmax(z[n : n + 1] + eps * e) - softmax(z[n : n + 1] - eps * e))[0] / (2 * eps)
                            for e in np.eye(5)], axis=1)  # numeric[k, j] = ∂p_k/∂z_j
        np.testing.assert_allclose(numeric, jacobian, atol=1e-9)


@pytest.mark.parametrize(
    ("layer", "name"),
    [(ReLU, "relu"), (Sigmoid, "logistic"), (Tanh, "tanh"), (Identity, "identity")],
)
def test_activation_matches_scikit_learn(layer, name):
    sk = pytest.importorskip("sklearn.neural_network._base")
    # scikit-learn's MLP: ACTIVATIONS[name](Z) in place, DERIVATIVES[name](A, delta) in place,
    # the derivative computed from the output A, as barenet does.
    rng = np.random.default_rng(1)
    z = rng.standard_normal((6, 4)) * 3
    delta = rng.standard_normal((6, 4))
    ours = layer()
    a = ours.forward(z.copy())
    expected_a = z.copy()
    sk.ACTIVATIONS[name](expected_a)
    np.testing.assert_allclose(a, expected_a, rtol=1e-12)
    expected_delta = delta.copy()
    sk.DERIVATIVES[name](expected_a, expected_delta)
    np.testing.assert_allclose(ours.backward(delta.copy()), expected_delta, rtol=1e-12)


def test_softmax_matches_scikit_learn():
    sk = pytest.importorskip("sklearn.neural_network._base")
    z = np.random.default_rng(2).standard_normal((5, 3)) * 4
    expected = z.copy()
    sk.ACTIVATIONS["softmax"](expected)
    np.testing.assert_allclose(Softmax().forward(z), expected, rtol=1e-12)


def test_stable_sigmoid_equals_the_textbook_formula_where_that_is_safe():
    z = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-14)
    assert sigmoid(np.array([-1e4]))[0] == 0.0 and sigmoid(np.array([1e4]))[0] == 1.0


@pytest.mark.parametrize("activation", [ReLU, LeakyReLU, Sigmoid, Tanh])
def test_standalone_activation_leaves_its_arguments_alone(activation):
    layer = activation()
    z = np.array([[-1.0, 2.0]])
    g = np.array([[3.0, 4.0]])
    layer.forward(z)
    layer.backward(g)
    np.testing.assert_array_equal(z, [[-1.0, 2.0]])
    np.testing.assert_array_equal(g, [[3.0, 4.0]])
