# ruff: noqa: E501 (the mutants are source lines, kept whole for reading)
"""Mutants written the way learners write them: each is recognised by the tag of its mistake, and
correct solutions in other styles (loops, einsum, float32) pass. Together they produce every tag."""

from __future__ import annotations

import re

import pytest

from barenet.exercises.cases import TAGS
from exercise_helpers import check_source

# (exercise, expected tag, the learner's code replacing the reference's functions)
MUTANTS = [
    ("relu", "missing_derivative", "def relu_backward(z, grad_a):\n    return grad_a.copy()"),
    ("relu", "wrong_input", "def relu_backward(z, grad_a):\n    return grad_a * (grad_a > 0)"),
    ("relu", "shape", "def relu_forward(z):\n    return np.max(z, 0)"),
    ("relu", "modified_input", "def relu_forward(z):\n    z[z < 0] = 0\n    return z"),
    ("relu", "modified_input",
     "def relu_backward(z, grad_a):\n    grad_a[z <= 0] = 0\n    return grad_a"),
    ("relu", "sign", "def relu_backward(z, grad_a):\n    return -grad_a * (z > 0)"),
    ("relu", "exception", "def relu_forward(z):\n    return np.maximum(z, zero)"),
    ("relu", "timeout", "def relu_forward(z):\n    while True:\n        pass"),
    ("relu", "shape", "def relu_forward(z):\n    return None"),
    ("relu", "shape", "def relu_forward(z):\n    return np.maximum(z, 0).tolist()"),
    ("softmax", "overflow",
     "def softmax(z):\n    e = np.exp(z)\n    return e / e.sum(axis=1, keepdims=True)"),
    ("softmax", "overflow", "def softmax(z):\n    e = np.exp(z - z.max())\n"
                            "    return e / e.sum(axis=1, keepdims=True)"),
    ("softmax", "wrong_axis",
     "def softmax(z):\n    e = np.exp(z - z.max(axis=0))\n    return e / e.sum(axis=0)"),
    ("softmax", "wrong_axis", "def softmax(z):\n    e = np.exp(z - z.max(axis=1, keepdims=True))\n"
                              "    return e / e.sum()"),
    ("softmax", "modified_input", "def softmax(z):\n    z -= z.max(axis=1, keepdims=True)\n"
                                  "    np.exp(z, out=z)\n    z /= z.sum(axis=1, keepdims=True)\n"
                                  "    return z"),
    ("softmax", "exception", "def softmax(z):\n    e = np.exp(z - z.max(axis=1))\n"
                             "    return e / e.sum(axis=1)"),
    ("softmax", "transposed",
     "def softmax(z):\n    e = np.exp(z.T - z.T.max(axis=0))\n"
     "    return e / e.sum(axis=0)"),
    ("dense", "wrong_value", "def dense_forward(x, W, b):\n    return x @ W"),
    ("dense", "transposed", "def dense_backward(x, W, grad_z):\n"
                            "    return grad_z @ W.T, grad_z.T @ x, grad_z.sum(axis=0)"),
    ("dense", "transposed", "def dense_backward(x, W, grad_z):\n"
                            "    return W @ grad_z.T, x.T @ grad_z, grad_z.sum(axis=0)"),
    ("dense", "scale", "def dense_backward(x, W, grad_z):\n"
                       "    return grad_z @ W.T, x.T @ grad_z / len(x), grad_z.sum(axis=0) / len(x)"),
    ("dense", "scale", "def dense_backward(x, W, grad_z):\n"
                       "    return grad_z @ W.T, x.T @ grad_z, grad_z.mean(axis=0)"),
    ("dense", "wrong_axis", "def dense_backward(x, W, grad_z):\n"
                            "    return grad_z @ W.T, x.T @ grad_z, grad_z.sum(axis=1)"),
    ("dense", "shape", "def dense_backward(x, W, grad_z):\n"
                       "    return grad_z @ W.T, x.T @ grad_z, grad_z.sum(axis=0, keepdims=True)"),
    ("dense", "shape", "def dense_backward(x, W, grad_z):\n    return grad_z @ W.T, x.T @ grad_z"),
    ("dense", "sign", "def dense_backward(x, W, grad_z):\n"
                      "    return grad_z @ W.T, -(x.T @ grad_z), grad_z.sum(axis=0)"),
    ("sigmoid", "overflow", "def sigmoid_forward(z):\n    return 1 / (1 + np.exp(-z))"),
    ("sigmoid", "sign", "def sigmoid_forward(z):\n    e = np.exp(-np.abs(z))\n"
                        "    return np.where(z >= 0, e / (1 + e), 1 / (1 + e))"),
    ("sigmoid", "wrong_input", "def sigmoid_backward(z, grad_a):\n    return grad_a * z * (1 - z)"),
    ("sigmoid", "wrong_input", "def sigmoid_backward(z, grad_a):\n    a = sigmoid_forward(sigmoid_forward(z))\n"
                               "    return grad_a * a * (1 - a)"),
    ("sigmoid", "missing_derivative", "def sigmoid_backward(z, grad_a):\n    return grad_a + 0.0"),
    ("cross_entropy", "overflow", "def cross_entropy(p, y):\n    return -np.mean(np.log(p[np.arange(len(y)), y]))"),
    ("cross_entropy", "overflow", "def cross_entropy(p, y):\n    Y = np.eye(p.shape[1])[y]\n"
                                  "    return -np.sum(Y * np.log(p)) / len(y)"),
    ("cross_entropy", "scale", "def cross_entropy(p, y):\n"
                               "    return -np.sum(np.log(np.maximum(p[np.arange(len(y)), y], 1e-12)))"),
    ("cross_entropy", "sign", "def cross_entropy(p, y):\n"
                              "    return np.mean(np.log(np.maximum(p[np.arange(len(y)), y], 1e-12)))"),
    ("cross_entropy", "wrong_axis", "def cross_entropy(p, y):\n"
                                    "    return -np.mean(np.log(np.maximum(p[:, y], 1e-12)))"),
    ("cross_entropy", "shape", "def cross_entropy(p, y):\n"
                               "    return -np.log(np.maximum(p[np.arange(len(y)), y], 1e-12))"),
    ("softmax_cross_entropy_backward", "scale",
     "def softmax_cross_entropy_backward(z, y):\n    p = np.exp(z - z.max(axis=1, keepdims=True))\n"
     "    p /= p.sum(axis=1, keepdims=True)\n    p[np.arange(len(y)), y] -= 1\n    return p"),
    ("softmax_cross_entropy_backward", "wrong_input",
     "def softmax_cross_entropy_backward(z, y):\n    g = z.copy()\n    g[np.arange(len(y)), y] -= 1\n"
     "    return g / len(y)"),
    ("softmax_cross_entropy_backward", "sign",
     "def softmax_cross_entropy_backward(z, y):\n    p = np.exp(z - z.max(axis=1, keepdims=True))\n"
     "    p /= p.sum(axis=1, keepdims=True)\n    p[np.arange(len(y)), y] -= 1\n    return -p / len(y)"),
    ("softmax_cross_entropy_backward", "overflow",
     "def softmax_cross_entropy_backward(z, y):\n    p = np.exp(z)\n    p /= p.sum(axis=1, keepdims=True)\n"
     "    p[np.arange(len(y)), y] -= 1\n    return p / len(y)"),
    ("mse", "scale", "def mse(y_hat, y):\n    return float(np.mean((y_hat - y) ** 2) / 2)"),
    ("mse", "scale", "def mse(y_hat, y):\n    return float(np.sum((y_hat - y) ** 2) / len(y))"),
    ("mse", "sign", "def mse_backward(y_hat, y):\n    return (y - y_hat) / len(y)"),
    ("mse", "scale", "def mse_backward(y_hat, y):\n    return 2 * (y_hat - y) / len(y)"),
    ("numerical_gradient", "forward_difference",
     "def numerical_gradient(f, x, eps=1e-5):\n    g = np.zeros_like(x)\n    fx = f(x)\n"
     "    for i in np.ndindex(x.shape):\n        old = x[i]\n        x[i] = old + eps\n"
     "        g[i] = (f(x) - fx) / eps\n        x[i] = old\n    return g"),
    ("numerical_gradient", "scale",
     "def numerical_gradient(f, x, eps=1e-5):\n    g = np.zeros_like(x)\n"
     "    for i in np.ndindex(x.shape):\n        old = x[i]\n        x[i] = old + eps\n        a = f(x)\n"
     "        x[i] = old - eps\n        b = f(x)\n        x[i] = old\n        g[i] = (a - b) / eps\n    return g"),
    ("numerical_gradient", "modified_input",
     "def numerical_gradient(f, x, eps=1e-5):\n    g = np.zeros_like(x)\n"
     "    for i in np.ndindex(x.shape):\n        x[i] += eps\n        a = f(x)\n"
     "        x[i] -= 2 * eps\n        b = f(x)\n        g[i] = (a - b) / (2 * eps)\n    return g"),
    ("numerical_gradient", "exception",
     "def numerical_gradient(f, x, eps=1e-5):\n    g = np.zeros_like(x)\n"
     "    for i in range(x.shape[0]):\n        for j in range(x.shape[1]):\n            g[i, j] = 0\n    return g"),
    ("two_layer_net", "missing_derivative",
     "def loss_and_gradients(params, x, y):\n    loss, grads = _reference(params, x, y)\n"
     "    W1, b1, W2, b2 = params['W1'], params['b1'], params['W2'], params['b2']\n"
     "    n = len(y)\n    h = np.maximum(x @ W1 + b1, 0)\n    z = h @ W2 + b2\n"
     "    p = np.exp(z - z.max(axis=1, keepdims=True))\n    p /= p.sum(axis=1, keepdims=True)\n"
     "    p[np.arange(n), y] -= 1\n    d1 = (p / n) @ W2.T\n"
     "    grads['W1'] = x.T @ d1\n    grads['b1'] = d1.sum(axis=0)\n    return loss, grads"),
    ("two_layer_net", "transposed",
     "def loss_and_gradients(params, x, y):\n    loss, grads = _reference(params, x, y)\n"
     "    grads['W2'] = grads['W2'].T.copy()\n    return loss, grads"),
    ("two_layer_net", "scale",
     "def loss_and_gradients(params, x, y):\n    loss, grads = _reference(params, x, y)\n"
     "    return loss * len(y), grads"),
    ("two_layer_net", "modified_input",
     "def loss_and_gradients(params, x, y):\n    loss, grads = _reference(params, x, y)\n"
     "    params['W1'] -= 0.1 * grads['W1']\n    return loss, grads"),
    ("two_layer_net", "shape",
     "def loss_and_gradients(params, x, y):\n    loss, grads = _reference(params, x, y)\n"
     "    del grads['b2']\n    return loss, grads"),
    ("two_layer_net", "overflow",
     "def loss_and_gradients(params, x, y):\n    loss, grads = _reference(params, x, y)\n"
     "    z = np.maximum(x @ params['W1'] + params['b1'], 0) @ params['W2'] + params['b2']\n"
     "    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)\n"
     "    return float(-np.mean(np.log(p[np.arange(len(y)), y]))), grads"),
    ("minibatches", "not_shuffled",
     "def minibatches(n, batch_size, rng):\n    return [np.arange(s, min(s + batch_size, n)) for s in range(0, n, batch_size)]"),
    ("minibatches", "dropped_last",
     "def minibatches(n, batch_size, rng):\n    order = rng.permutation(n)\n"
     "    return [order[s:s + batch_size] for s in range(0, n - batch_size + 1, batch_size)]"),
    ("minibatches", "repeated_samples",
     "def minibatches(n, batch_size, rng):\n    order = rng.integers(0, n, n)\n"
     "    return [order[s:s + batch_size] for s in range(0, n, batch_size)]"),
    ("minibatches", "shape", "def minibatches(n, batch_size, rng):\n    return None"),
    ("sgd_momentum", "sign", "def momentum_step(w, g, v, lr, mu):\n    v = mu * v + lr * g\n    return w - v, v"),
    ("sgd_momentum", "sign", "def momentum_step(w, g, v, lr, mu):\n    v = mu * v - lr * g\n    return w - v, v"),
    ("sgd_momentum", "modified_input",
     "def momentum_step(w, g, v, lr, mu):\n    g *= lr\n    v = mu * v - g\n    return w + v, v"),
    ("sgd_momentum", "shape", "def momentum_step(w, g, v, lr, mu):\n    return w + mu * v - lr * g"),
    ("adam", "no_bias_correction",
     "def adam_step(w, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):\n"
     "    m = beta1 * m + (1 - beta1) * g\n    v = beta2 * v + (1 - beta2) * g * g\n"
     "    return w - lr * m / (np.sqrt(v) + eps), m, v"),
    ("adam", "no_bias_correction",
     "def adam_step(w, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):\n    t = t + 1\n"
     "    m = beta1 * m + (1 - beta1) * g\n    v = beta2 * v + (1 - beta2) * g * g\n"
     "    mh = m / (1 - beta1**t)\n    vh = v / (1 - beta2**t)\n"
     "    return w - lr * mh / (np.sqrt(vh) + eps), m, v"),
    ("adam", "sign",
     "def adam_step(w, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):\n"
     "    m = beta1 * m + (1 - beta1) * g\n    v = beta2 * v + (1 - beta2) * g * g\n"
     "    mh = m / (1 - beta1**t)\n    vh = v / (1 - beta2**t)\n"
     "    return w + lr * mh / (np.sqrt(vh) + eps), m, v"),
    ("batchnorm", "batch_statistics_ignored",
     "def batchnorm_backward(x, gamma, grad_y, eps=1e-5):\n    s = np.sqrt(x.var(0) + eps)\n"
     "    xh = (x - x.mean(0)) / s\n    return gamma / s * grad_y, (grad_y * xh).sum(0), grad_y.sum(0)"),
    ("batchnorm", "wrong_axis",
     "def batchnorm_forward(x, gamma, beta, eps=1e-5):\n"
     "    xh = (x - x.mean(1, keepdims=True)) / np.sqrt(x.var(1, keepdims=True) + eps)\n"
     "    return gamma * xh + beta"),
    ("batchnorm", "scale",
     "def batchnorm_backward(x, gamma, grad_y, eps=1e-5):\n    gx, gg, gb = _bn_reference(x, gamma, grad_y, eps)\n"
     "    return gx, gg / len(x), gb / len(x)"),
    # recognised by the structure of the answer, not by one mutant
    ("cross_entropy", "scale", "def cross_entropy(p, y):\n"
                               "    return -np.mean(np.log2(np.maximum(p[np.arange(len(y)), y], 1e-12)))"),
    ("minibatches", "not_shuffled",
     "def minibatches(n, batch_size, rng):\n    runs = [np.arange(s, min(s + batch_size, n)) for s in range(0, n, batch_size)]\n"
     "    return [runs[i] for i in rng.permutation(len(runs))]"),
    ("numerical_gradient", "forward_difference",
     "def numerical_gradient(f, x, eps=1e-5):\n    h = 1e-4\n    g = np.zeros_like(x)\n    fx = f(x)\n"
     "    for i in np.ndindex(x.shape):\n        y = x.copy()\n        y[i] += h\n        g[i] = (f(y) - fx) / h\n    return g"),
    ("adam", "no_bias_correction",
     "def adam_step(w, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):\n"
     "    m = beta1 * m + (1 - beta1) * g\n    v = beta2 * v + (1 - beta2) * g * g\n"
     "    mh = m / (1 - beta1**(t - 1))\n    vh = v / (1 - beta2**(t - 1))\n"
     "    return w - lr * mh / (np.sqrt(vh) + eps), m, v"),
    ("two_layer_net", "wrong_axis",
     "def loss_and_gradients(params, x, y):\n    loss, grads = _reference(params, x, y)\n"
     "    grads['b1'] = np.ones(len(x)) * 0.5\n    return loss, grads"),
    ("dense", "wrong_axis", "def dense_backward(x, W, grad_z):\n"
                            "    return grad_z @ W.T, x.T @ grad_z, grad_z.mean(axis=1)"),
    ("softmax_cross_entropy_backward", "wrong_axis",
     "def softmax_cross_entropy_backward(z, y):\n    e = np.exp(z - z.max(axis=1, keepdims=True))\n    p = e / np.sum(e)\n"
     "    p[np.arange(len(y)), y] -= 1\n    return p / len(y)"),
]

# Correct solutions in other styles: loops, einsum, column vectors transposed back, float32.
CORRECT = [
    ("relu", "def relu_forward(z):\n    return z * (z > 0)\n"
             "def relu_backward(z, grad_a):\n    return np.where(z > 0, grad_a, 0.0)"),
    ("relu", "def relu_forward(z):\n    out = z.copy()\n    for row in out:\n        row[row < 0] = 0\n"
             "    return out"),
    ("softmax", "def softmax(z):\n    out = np.empty_like(z)\n    for i, row in enumerate(z):\n"
                "        e = np.exp(row - row.max())\n        out[i] = e / e.sum()\n    return out"),
    ("softmax", "def softmax(z):\n    z = z.astype(np.float32)\n    e = np.exp(z - z.max(axis=1)[:, None])\n"
                "    return e / e.sum(axis=1)[:, None]"),
    ("dense", "def dense_forward(x, W, b):\n    return np.einsum('ni,io->no', x, W) + b[None, :]\n"
              "def dense_backward(x, W, grad_z):\n"
              "    return (W @ grad_z.T).T, (grad_z.T @ x).T, np.ones(len(x)) @ grad_z"),
    ("dense", "def dense_backward(x, W, grad_z):\n    gW = np.zeros_like(W)\n"
              "    gb = np.zeros(W.shape[1])\n    for n in range(len(x)):\n"
              "        gW += np.outer(x[n], grad_z[n])\n        gb += grad_z[n]\n"
              "    return grad_z @ W.T, gW, gb"),
]


@pytest.mark.parametrize(("exercise_id", "tag", "source"), MUTANTS,
                         ids=[f"{e}-{t}-{i}" for i, (e, t, _) in enumerate(MUTANTS)])
def test_a_mutant_is_named_by_its_mistake(exercise_id, tag, source):
    result = check_source(exercise_id, source)
    assert not result.passed
    assert result.mistake == tag, result.message
    assert result.message.splitlines()[-1] == f"{exercise_id}: not passed: {tag}"


@pytest.mark.parametrize(("exercise_id", "source"), CORRECT, ids=[e for e, _ in CORRECT])
def test_a_correct_solution_in_another_style_passes(exercise_id, source):
    result = check_source(exercise_id, source)
    assert result.passed, result.message


def test_the_mutants_produce_every_tag():
    assert {tag for _, tag, _ in MUTANTS} == set(TAGS)


ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}")  # three English words in a row


@pytest.mark.parametrize(("exercise_id", "tag", "source"),
                         [m for m in MUTANTS if m[1] not in ("exception", "timeout")],
                         ids=[f"{e}-{t}-{i}" for i, (e, t, _) in enumerate(MUTANTS)
                              if t not in ("exception", "timeout")])
def test_a_failing_check_in_chinese_has_no_english_sentence(exercise_id, tag, source):
    result = check_source(exercise_id, source, lang="zh")
    assert result.mistake == tag
    # code is not prose: calls, and the commands the feedback names
    text = re.sub(r"np\.\w+\([^)]*\)|\w+\.\w+\([^)]*\)|barenet \w+ \w+(?: --level \d)?", "",
                  result.message)
    found = ENGLISH.findall(text)
    assert not found, f"English in the Chinese feedback: {found}\n{result.message}"
