"""Optimisers against their textbook update rules, worked step by step; schedules at chosen epochs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from barenet.nn import (
    OPTIMIZERS,
    SGD,
    Adam,
    Constant,
    Cosine,
    ExponentialDecay,
    Momentum,
    Nesterov,
    RMSprop,
    StepDecay,
)
from barenet.nn.schedules import schedule_from_config

# Three gradients for a weight matrix W (1×2) and a bias b (2,), in float64.
W0 = np.array([[0.5, -1.0]])
B0 = np.array([0.25, 0.0])
GRADS = [
    (np.array([[0.1, -0.2]]), np.array([0.3, 0.0])),
    (np.array([[-0.3, 0.4]]), np.array([0.1, -0.1])),
    (np.array([[0.2, 0.0]]), np.array([-0.2, 0.5])),
]


def run(optimizer, steps=3):
    """Apply `steps` of GRADS to copies of W0, B0; return the parameters after each step."""
    W, b = W0.copy(), B0.copy()
    trail = []
    for gW, gb in GRADS[:steps]:
        optimizer.step([(W, gW), (b, gb)])
        trail.append((W.copy(), b.copy()))
    return trail


def test_sgd_by_hand():
    # θ ← θ − η g with η = 0.5: W = [0.5, −1] − 0.5·[0.1, −0.2] = [0.45, −0.9]
    (W, b), = run(SGD(0.5), steps=1)
    np.testing.assert_allclose(W, [[0.45, -0.9]])
    np.testing.assert_allclose(b, [0.25 - 0.15, 0.0])


def test_sgd_weight_decay_on_weights_only():
    # g ← g + λθ for matrices only: W = 0.5 − 0.5·(0.1 + 0.1·0.5) = 0.425, b as without decay
    (W, b), = run(SGD(0.5, weight_decay=0.1), steps=1)
    np.testing.assert_allclose(W, [[0.5 - 0.5 * (0.1 + 0.05), -1.0 - 0.5 * (-0.2 - 0.1)]])
    np.testing.assert_allclose(b, [0.1, 0.0])


def test_momentum_by_hand():
    # v₁ = g₁, θ₁ = θ₀ − η g₁;  v₂ = μ g₁ + g₂, θ₂ = θ₁ − η v₂
    lr, mu = 0.5, 0.9
    trail = run(Momentum(lr, momentum=mu), steps=2)
    g1, g2 = GRADS[0][0], GRADS[1][0]
    np.testing.assert_allclose(trail[0][0], W0 - lr * g1)
    np.testing.assert_allclose(trail[1][0], W0 - lr * g1 - lr * (mu * g1 + g2))


def test_nesterov_by_hand():
    # v ← μ v + g, θ ← θ − η (g + μ v):  θ₁ = θ₀ − η (g₁ + μ g₁),  θ₂ = θ₁ − η (g₂ + μ (μ g₁ + g₂))
    lr, mu = 0.5, 0.9
    trail = run(Momentum(lr, momentum=mu, nesterov=True), steps=2)
    g1, g2 = GRADS[0][0], GRADS[1][0]
    theta1 = W0 - lr * (g1 + mu * g1)
    np.testing.assert_allclose(trail[0][0], theta1)
    np.testing.assert_allclose(trail[1][0], theta1 - lr * (g2 + mu * (mu * g1 + g2)))


def test_nesterov_is_momentum_with_the_look_ahead():
    assert [W.tolist() for W, _ in run(Nesterov(0.5, momentum=0.9))] == \
        [W.tolist() for W, _ in run(Momentum(0.5, momentum=0.9, nesterov=True))]
    assert repr(Nesterov(0.5)) == "Nesterov(lr=0.5, weight_decay=0.0, momentum=0.9)"


def test_momentum_zero_is_sgd():
    for (Wm, bm), (Ws, bs) in zip(run(Momentum(0.3, momentum=0.0)), run(SGD(0.3)), strict=True):
        np.testing.assert_allclose(Wm, Ws)
        np.testing.assert_allclose(bm, bs)


def test_rmsprop_by_hand():
    # s ← ρ s + (1 − ρ) g²,  θ ← θ − η g / (√s + ε)
    lr, rho, eps = 0.01, 0.9, 1e-7
    trail = run(RMSprop(lr, rho=rho, eps=eps))
    W, s = W0.copy(), np.zeros_like(W0)
    for (gW, _), (got, _) in zip(GRADS, trail, strict=True):
        s = rho * s + (1 - rho) * gW**2
        W = W - lr * gW / (np.sqrt(s) + eps)
        np.testing.assert_allclose(got, W, rtol=1e-12)
    # step 1 by hand: s = 0.1·g², √s = 0.316…|g|, so each weight moves by η/√0.1 ≈ 0.0316 against g
    np.testing.assert_allclose(trail[0][0], W0 - lr / math.sqrt(0.1) * np.sign(GRADS[0][0]), rtol=1e-6)


def textbook_adam(lr, beta1, beta2, eps, weight_decay, steps):
    """Kingma & Ba's Algorithm 1 on (W, b), written plainly, with L2 decay on W only."""
    params = [W0.copy(), B0.copy()]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    trail = []
    for t in range(1, steps + 1):
        for i, g in enumerate(GRADS[t - 1]):
            if i == 0:
                g = g + weight_decay * params[i]
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            m_hat = m[i] / (1 - beta1**t)
            v_hat = v[i] / (1 - beta2**t)
            params[i] = params[i] - lr * m_hat / (np.sqrt(v_hat) + eps)
        trail.append((params[0].copy(), params[1].copy(), m[0].copy(), v[0].copy()))
    return trail


@pytest.mark.parametrize("weight_decay", [0.0, 0.1])
def test_adam_matches_the_textbook_formula(weight_decay):
    # barenet folds the bias corrections into η_t and ε_t; the result must be Algorithm 1's.
    lr, b1, b2, eps = 0.1, 0.9, 0.999, 1e-8
    adam = Adam(lr, beta1=b1, beta2=b2, eps=eps, weight_decay=weight_decay)
    W, b = W0.copy(), B0.copy()
    for t, ((gW, gb), expected) in enumerate(
            zip(GRADS, textbook_adam(lr, b1, b2, eps, weight_decay, 3), strict=True), start=1):
        adam.step([(W, gW), (b, gb)])
        assert adam.t == t
        np.testing.assert_allclose(W, expected[0], rtol=1e-12)
        np.testing.assert_allclose(b, expected[1], rtol=1e-12)
        np.testing.assert_allclose(adam.state[0]["m"], expected[2], rtol=1e-12)
        np.testing.assert_allclose(adam.state[0]["v"], expected[3], rtol=1e-12)


def test_adam_first_step_by_hand():
    # t = 1: m = 0.1 g, v = 0.001 g², m̂ = g, v̂ = g², so θ ← θ − η g / (|g| + ε) ≈ θ − η sign(g).
    # W: g = [0.1, −0.2] -> W = [0.5 − 0.1, −1 + 0.1] = [0.4, −0.9];  b: g = [0.3, 0] -> [0.15, 0]
    (W, b), = run(Adam(0.1), steps=1)
    np.testing.assert_allclose(W, [[0.4, -0.9]], rtol=1e-6)
    np.testing.assert_allclose(b, [0.15, 0.0], rtol=1e-6)
    # t = 2 by hand for W[0, 0] (g₁ = 0.1, g₂ = −0.3):
    #   m = 0.9·0.01 + 0.1·(−0.3) = −0.021,    m̂ = −0.021 / (1 − 0.81) = −0.110526…
    #   v = 0.999·1e-5 + 0.001·0.09 = 9.999e-5, v̂ = 9.999e-5 / (1 − 0.998001) = 0.0500200…
    #   θ = θ₁ − 0.1 · (−0.110526) / (0.223652 + 1e-8) = 0.4 + 0.049418… = 0.449418…
    # where θ₁ = 0.5 − 0.1 · 0.1 / (0.1 + 1e-8) is 0.4 plus 1e-8 (the ε of step 1)
    (W, _), = run(Adam(0.1), steps=2)[1:]
    theta1 = 0.5 - 0.1 * 0.1 / (0.1 + 1e-8)
    m_hat = -0.021 / 0.19
    v_hat = 9.999e-5 / (1 - 0.999**2)
    assert W[0, 0] == pytest.approx(theta1 - 0.1 * m_hat / (math.sqrt(v_hat) + 1e-8), rel=1e-12)
    assert W[0, 0] == pytest.approx(0.449418, abs=1e-6)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_state_dict_round_trip_continues_identically(name):
    make = {"sgd": lambda: SGD(0.1), "momentum": lambda: Momentum(0.1, nesterov=True),
            "nesterov": lambda: Nesterov(0.1, momentum=0.8),
            "rmsprop": lambda: RMSprop(0.01), "adam": lambda: Adam(0.01, weight_decay=0.01)}[name]
    rng = np.random.default_rng(0)
    grads = [(rng.standard_normal((3, 2)), rng.standard_normal(2)) for _ in range(5)]
    W, b = rng.standard_normal((3, 2)), rng.standard_normal(2)
    first = make()
    for gW, gb in grads[:3]:
        first.step([(W, gW), (b, gb)])
    saved = first.state_dict()
    W2, b2 = W.copy(), b.copy()
    second = make()
    second.load_state_dict(saved)
    for gW, gb in grads[3:]:
        first.step([(W, gW), (b, gb)])
        second.step([(W2, gW), (b2, gb)])
    np.testing.assert_array_equal(W, W2)
    np.testing.assert_array_equal(b, b2)
    assert second.t == first.t == 5
    # the saved state is a copy: later steps did not change it
    assert saved["t"] == 3
    if name != "sgd":
        key = next(iter(first.state[0]))
        assert not np.array_equal(saved["buffers"][0][key], first.state[0][key])


@pytest.mark.parametrize("optimizer", [RMSprop(0.1), Adam(0.1)], ids=repr)
def test_a_transposed_parameter_is_refused_not_silently_left_unchanged(optimizer):
    # Regression: reshape(-1) of a non-contiguous array is a copy, so the update went nowhere.
    W = np.ones((3, 2)).T  # e.g. a column-vector textbook's W̃ assigned as Wᵀ
    with pytest.raises(ValueError, match="C-contiguous"):
        optimizer.step([(W, np.ones((2, 3)))])
    W = np.ascontiguousarray(W)
    type(optimizer)(0.1).step([(W, np.ones((2, 3)))])
    assert (W < 1).all()


def test_optimiser_validation_and_config():
    with pytest.raises(ValueError, match="learning rate"):
        SGD(0)
    with pytest.raises(ValueError, match="weight decay"):
        Adam(weight_decay=-1)
    with pytest.raises(ValueError, match="momentum"):
        Momentum(0.1, momentum=1.0)
    adam = Adam(0.01)
    adam.step([(np.zeros(2), np.ones(2))])
    with pytest.raises(ValueError, match="holds 1 parameters, got 2"):
        adam.step([(np.zeros(2), np.ones(2)), (np.zeros(2), np.ones(2))])
    assert Adam(0.01).config() == {"lr": 0.01, "weight_decay": 0.0, "beta1": 0.9, "beta2": 0.999,
                                   "eps": 1e-8}
    assert repr(SGD(0.5)) == "SGD(lr=0.5, weight_decay=0.0)"


def test_schedules_at_chosen_epochs():
    assert [Constant(0.1)(e) for e in (0, 5, 100)] == [0.1, 0.1, 0.1]
    # step: η₀ γ^⌊e / 3⌋ with γ = 0.5
    step = StepDecay(0.1, step_size=3, gamma=0.5)
    assert [step(e) for e in (0, 2, 3, 5, 6)] == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025])
    # exponential: η₀ γ^e with γ = 0.9: e = 2 -> 0.081
    assert ExponentialDecay(0.1, gamma=0.9)(2) == pytest.approx(0.081)
    # cosine: η_min + ½(η₀ − η_min)(1 + cos(π e / E)), E = 10: 0.1 at 0, 0.055 at 5, η_min at E and after
    cosine = Cosine(0.1, epochs=10, min_lr=0.01)
    assert cosine(0) == pytest.approx(0.1)
    assert cosine(5) == pytest.approx(0.055)
    assert cosine(10) == pytest.approx(0.01) and cosine(12) == pytest.approx(0.01)
    assert cosine(2) == pytest.approx(0.01 + 0.045 * (1 + math.cos(math.pi * 0.2)))


@pytest.mark.parametrize("schedule", [Constant(0.1), StepDecay(0.1, 4, 0.5), ExponentialDecay(0.2, 0.8),
                                      Cosine(0.1, 20, 0.001)])
def test_schedule_config_round_trip(schedule):
    assert schedule_from_config(schedule.config()) == schedule
