"""The engine against an independent, textbook implementation of a 2-layer network.

The reference is written the way Nielsen and Bishop write it: one sample at a time, column
vectors, W of shape (n_out, n_in), z = W x + b, and the four backpropagation equations

    δᴸ = ∇ₐC ⊙ g'(zᴸ)    δˡ = (Wˡ⁺¹ᵀ δˡ⁺¹) ⊙ g'(zˡ)    ∂C/∂bˡ = δˡ    ∂C/∂Wˡ = δˡ aˡ⁻¹ᵀ

averaged over the batch. barenet stores W as (n_in, n_out) and works on whole batches of rows,
so its W is the reference's Wᵀ; the results must agree to rounding.
"""

from __future__ import annotations

import numpy as np
import pytest

from barenet.nn import MSE, Dense, Sequential, Sigmoid, SoftmaxCrossEntropy, Tanh


def textbook(W1, b1, W2, b2, X, Y, output):
    """Loss and gradients, sample by sample. W: (n_out, n_in); X rows are samples; Y one-hot."""
    N = len(X)
    loss = 0.0
    grads = [np.zeros_like(W1), np.zeros_like(b1), np.zeros_like(W2), np.zeros_like(b2)]
    for x, y in zip(X, Y, strict=True):
        x, y = x.reshape(-1, 1), y.reshape(-1, 1)  # column vectors
        z1 = W1 @ x + b1
        a1 = np.tanh(z1)
        z2 = W2 @ a1 + b2
        if output == "softmax":  # softmax + cross-entropy: δ² = a² − y
            a2 = np.exp(z2) / np.exp(z2).sum()
            loss += -np.sum(y * np.log(a2))
            d2 = a2 - y
        else:  # sigmoid + quadratic cost: δ² = (a² − y) σ'(z²)
            a2 = 1 / (1 + np.exp(-z2))
            loss += 0.5 * np.sum((a2 - y) ** 2)
            d2 = (a2 - y) * a2 * (1 - a2)
        d1 = (W2.T @ d2) * (1 - a1**2)  # tanh' = 1 − tanh²
        for g, value in zip(grads, (d1 @ x.T, d1, d2 @ a1.T, d2), strict=True):
            g += value / N
    return loss / N, grads


@pytest.mark.parametrize("output", ["softmax", "sigmoid"])
def test_two_layer_network_matches_the_textbook(output):
    rng = np.random.default_rng(0)
    n_in, hidden, k, n = 4, 5, 3, 6
    W1, b1 = rng.standard_normal((hidden, n_in)), rng.standard_normal((hidden, 1))
    W2, b2 = rng.standard_normal((k, hidden)), rng.standard_normal((k, 1))
    X = rng.standard_normal((n, n_in))
    labels = rng.integers(0, k, size=n)
    Y = np.eye(k)[labels]

    first, second = Dense(n_in, hidden, dtype=np.float64), Dense(hidden, k, dtype=np.float64)
    first.W[...], first.b[...] = W1.T, b1[:, 0]  # row convention: W is the transpose
    second.W[...], second.b[...] = W2.T, b2[:, 0]
    layers = [first, Tanh(), second]
    if output == "sigmoid":
        layers.append(Sigmoid())
    model = Sequential(layers)
    loss = SoftmaxCrossEntropy() if output == "softmax" else MSE()

    value = loss.forward(model.forward(X.copy()), labels)
    dx = model.backward(loss.backward())
    expected_loss, (dW1, db1, dW2, db2) = textbook(W1, b1, W2, b2, X, Y, output)

    assert value == pytest.approx(expected_loss, rel=1e-12)
    np.testing.assert_allclose(first.dW, dW1.T, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(first.db, db1[:, 0], rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(second.dW, dW2.T, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(second.db, db2[:, 0], rtol=1e-10, atol=1e-14)
    assert dx.shape == X.shape
