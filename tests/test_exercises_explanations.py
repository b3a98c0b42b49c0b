"""The explanation of a mistake speaks of the exercise's own arrays and rules (issue 19)."""

from __future__ import annotations

import pytest

from exercise_helpers import check_source


@pytest.mark.parametrize(("exercise", "source", "part", "given"), [
    ("softmax", "def softmax(z):\n    e = np.exp(z.T - z.T.max(axis=0))\n    return e / e.sum(axis=0)\n",
     "p", "z"),
    ("mse", "def mse_backward(y_hat, y):\n    return ((y_hat - y) / len(y)).T\n", "grad_y_hat", "y_hat"),
    ("softmax_cross_entropy_backward",
     "def softmax_cross_entropy_backward(z, y):\n    e = np.exp(z - z.max(axis=1, keepdims=True))\n"
     "    p = e / e.sum(axis=1, keepdims=True)\n    p[np.arange(len(y)), y] -= 1\n"
     "    return (p / len(y)).T\n",
     "grad_z", "z"),
])
def test_transposed_outside_dense_names_that_functions_arrays(exercise, source, part, given):
    result = check_source(exercise, source)
    assert result.mistake == "transposed", result.message
    assert f"{part} must have the shape" in result.message and f"of {given}," in result.message
    assert "dW" not in result.message and "Wᵀ" not in result.message, result.message


def test_transposed_in_dense_still_speaks_of_w():
    result = check_source("dense", "def dense_backward(x, W, grad_z):\n"
                                   "    return grad_z @ W.T, (x.T @ grad_z).T, grad_z.sum(axis=0)\n")
    assert result.mistake == "transposed" and "W's shape" in result.message, result.message
    assert "one row per sample" not in result.message


def test_modified_input_in_numerical_gradient_asks_to_restore_x():
    source = ("def numerical_gradient(f, x, eps=1e-5):\n    grad = np.zeros_like(x, dtype=float)\n"
              "    for i in np.ndindex(x.shape):\n        x[i] += eps\n        up = f(x)\n"
              "        x[i] -= 2 * eps\n        down = f(x)\n        grad[i] = (up - down) / (2 * eps)\n"
              "    return grad\n")
    result = check_source("numerical_gradient", source)
    assert result.mistake == "modified_input", result.message
    assert "must leave it as it found it" in result.message and "new array" not in result.message


def test_modified_input_in_an_optimiser_says_g_must_not_change():
    source = ("def momentum_step(w, g, v, lr, mu):\n    g *= lr\n    v = mu * v - g\n"
              "    return w + v, v\n")
    result = check_source("sgd_momentum", source)
    assert result.mistake == "modified_input", result.message
    assert "never the gradient g" in result.message and "z[z < 0]" not in result.message


@pytest.mark.parametrize(("exercise", "source", "says"), [
    ("sigmoid", "def sigmoid_backward(z, grad_a):\n    s = sigmoid_forward(z)\n"
     "    return grad_a * s * (1 - z)\n", "z is where σ(z) belongs"),
    ("sigmoid", "def sigmoid_backward(z, grad_a):\n    a = sigmoid_forward(z)\n    return a * a * (1 - a)\n",
     "σ(z) is where grad_a belongs"),
    ("relu", "def relu_backward(z, grad_a):\n    return z * (z > 0)\n", "z is where grad_a belongs"),
    ("batchnorm", "def batchnorm_backward(x, gamma, grad_y, eps=1e-5):\n"
     "    mu = x.mean(axis=0)\n    s = np.sqrt(x.var(axis=0) + eps)\n    x_hat = (x - mu) / s\n"
     "    grad_x = gamma / s * (grad_y - grad_y.mean(axis=0) - x_hat * (grad_y * x_hat).mean(axis=0))\n"
     "    return grad_x, (grad_y * grad_y).sum(axis=0), grad_y.sum(axis=0)\n", "grad_y is where x̂ belongs"),
    ("two_layer_net", "def loss_and_gradients(params, x, y):\n    n = len(y)\n"
     "    z1 = x @ params['W1'] + params['b1']\n    h = np.maximum(z1, 0)\n"
     "    s = h @ params['W2'] + params['b2']\n    e = np.exp(s - s.max(axis=1, keepdims=True))\n"
     "    p = e / e.sum(axis=1, keepdims=True)\n    loss = -np.mean(np.log(p[np.arange(n), y]))\n"
     "    d2 = p.copy()\n    d2[np.arange(n), y] -= 1\n    d2 /= n\n    dh = d2 @ params['W2'].T\n"
     "    d1 = h * (z1 > 0)\n"
     "    return loss, {'W1': x.T @ d1, 'b1': d1.sum(axis=0), 'W2': h.T @ d2, 'b2': d2.sum(axis=0)}\n",
     "h is where δ2 W2ᵀ belongs"),
])
def test_an_unseen_wrong_input_is_named_by_substitution(exercise, source, says):
    result = check_source(exercise, source)
    assert result.mistake == "wrong_input" and says in result.message, result.message
