"""Mutants written the way learners write them: each is recognised by the tag of its mistake, and
correct solutions in other styles (loops, einsum, float32) pass. Together they produce every tag."""

from __future__ import annotations

import pytest

from barenet.exercises.cases import TAGS
from exercise_helpers import check_source

# (exercise, expected tag, the learner's code replacing the reference's functions)
MUTANTS = [
    ("relu", "missing_derivative", "def relu_backward(z, grad_a):\n    return grad_a.copy()"),
    ("relu", "wrong_input", "def relu_backward(z, grad_a):\n    return grad_a * (grad_a > 0)"),
    ("relu", "wrong_axis", "def relu_forward(z):\n    return np.max(z, 0)"),
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


def test_the_mutants_produce_every_tag_of_the_exercises_written():
    written = {tag for _, tag, _ in MUTANTS}
    assert written <= set(TAGS)
