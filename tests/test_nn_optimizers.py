"""Optimisers against their textbook update rules, worked step by step; schedules at chosen epochs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from barenet.nn import (
    OPTIMIZERS,
    SGD,
    Adam,
    AdamW,
    Constant,
    Cosine,
    CosineSteps,
    ExponentialDecay,
    ExponentialSteps,
    LinearWarmup,
    Momentum,
    Nesterov,
    OneCycle,
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


def flat(W, b):
    """Copies of W and b: the parameters a network holds (a list, updated in place)."""
    return [np.array(W, dtype=float), np.array(b, dtype=float)]


def step(optimizer, params, gW, gb):
    """One optimiser step with the gradients gW, gb (as a backward pass leaves them)."""
    optimizer.step([(params[0], gW), (params[1], gb)])


def run(optimizer, steps=3):
    """Apply `steps` of GRADS to copies of W0, B0; return the parameters after each step."""
    params = flat(W0, B0)
    trail = []
    for gW, gb in GRADS[:steps]:
        step(optimizer, params, gW, gb)
        trail.append((params[0].copy(), params[1].copy()))
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
    params = flat(W0, B0)
    for t, ((gW, gb), expected) in enumerate(
            zip(GRADS, textbook_adam(lr, b1, b2, eps, weight_decay, 3), strict=True), start=1):
        step(adam, params, gW, gb)
        assert adam.t == t
        np.testing.assert_allclose(params[0], expected[0], rtol=1e-12)
        np.testing.assert_allclose(params[1], expected[1], rtol=1e-12)
        W_moments = adam.state_dict()["buffers"][0]  # the moments of W, in W's shape
        np.testing.assert_allclose(W_moments["m"], expected[2], rtol=1e-12)
        np.testing.assert_allclose(W_moments["v"], expected[3], rtol=1e-12)


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
            "rmsprop": lambda: RMSprop(0.01), "adam": lambda: Adam(0.01, weight_decay=0.01),
            "adamw": lambda: AdamW(0.01, weight_decay=0.1, max_norm=1.5)}[name]
    rng = np.random.default_rng(0)
    grads = [(rng.standard_normal((3, 2)), rng.standard_normal(2)) for _ in range(5)]
    params = flat(rng.standard_normal((3, 2)), rng.standard_normal(2))
    first = make()
    for gW, gb in grads[:3]:
        step(first, params, gW, gb)
    saved = first.state_dict()
    again = flat(params[0], params[1])
    second = make()
    second.load_state_dict(saved)
    for gW, gb in grads[3:]:
        step(first, params, gW, gb)
        step(second, again, gW, gb)
    np.testing.assert_array_equal(params[0], again[0])
    np.testing.assert_array_equal(params[1], again[1])
    assert second.t == first.t == 5
    # the saved state is a copy: later steps did not change it
    assert saved["t"] == 3
    if name != "sgd":
        key = first.moments[0]
        assert saved["buffers"][0][key].shape == (3, 2) and saved["buffers"][1][key].shape == (2,)
        assert not np.array_equal(saved["buffers"][0][key], first.state_dict()["buffers"][0][key])


def test_a_state_saved_per_parameter_loads_per_parameter():
    # Checkpoints keep one buffer per parameter (optimizer.0.m beside 0.W), as the optimiser does.
    adam = Adam(0.1)
    m_W, m_b = np.arange(6.0).reshape(3, 2), np.array([6.0, 7.0])
    adam.load_state_dict({"t": 4, "buffers": [{"m": m_W, "v": m_W + 1}, {"m": m_b, "v": m_b + 1}]})
    np.testing.assert_array_equal(adam.m[0], m_W)
    np.testing.assert_array_equal(adam.v[1], m_b + 1)
    assert adam.shapes == [(3, 2), (2,)] and adam.t == 4
    round_trip = adam.state_dict()["buffers"]
    np.testing.assert_array_equal(round_trip[0]["m"], m_W)
    np.testing.assert_array_equal(round_trip[1]["v"], m_b + 1)
    sgd = SGD(0.1)
    sgd.load_state_dict({"t": 2, "buffers": [{}, {}]})  # an older SGD checkpoint: empty per parameter
    assert sgd.moments == () and sgd.state_dict() == {"t": 2, "buffers": []}


def test_optimiser_validation_and_config():
    with pytest.raises(ValueError, match="learning rate"):
        SGD(0)
    with pytest.raises(ValueError, match="weight decay"):
        Adam(weight_decay=-1)
    with pytest.raises(ValueError, match="momentum"):
        Momentum(0.1, momentum=1.0)
    adam = Adam(0.01)
    b = np.zeros(2)
    adam.step([(b, b)])
    with pytest.raises(ValueError, match=r"state is for 1 parameters of shapes \[\(2,\)\], the network "
                                         r"has \[\(2,\), \(2,\)\]; use a fresh optimiser"):
        adam.step([(b, b), (b.copy(), b)])
    assert Adam(0.01).config() == {"lr": 0.01, "weight_decay": 0.0, "beta1": 0.9, "beta2": 0.999,
                                   "eps": 1e-8}
    assert repr(SGD(0.5)) == "SGD(lr=0.5, weight_decay=0.0)"


def test_schedules_at_chosen_epochs():
    assert [Constant(0.1)(e, 1, 200) for e in (0, 5, 100)] == [0.1, 0.1, 0.1]
    # step: η₀ γ^⌊e / 3⌋ with γ = 0.5
    step = StepDecay(0.1, step_size=3, gamma=0.5)
    assert [step(e, 1, 20) for e in (0, 2, 3, 5, 6)] == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025])
    # exponential: η₀ γ^e with γ = 0.9: e = 2 -> 0.081
    assert ExponentialDecay(0.1, gamma=0.9)(2, 1, 20) == pytest.approx(0.081)
    # called per batch: the epoch's η for each of its batches (here 4 batches an epoch)
    assert [step(s, 4, 80) for s in (0, 11, 12, 23, 24)] == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025])
    # cosine: η_min + ½(η₀ − η_min)(1 + cos(π e / E)), E = 10: 0.1 at 0, 0.055 at 5, η_min at E and after
    cosine = Cosine(0.1, epochs=10, min_lr=0.01)
    assert cosine(0, 1, 20) == pytest.approx(0.1)
    assert cosine(5, 1, 20) == pytest.approx(0.055)
    assert cosine(10, 1, 20) == pytest.approx(0.01) and cosine(12, 1, 20) == pytest.approx(0.01)
    assert cosine(2, 1, 20) == pytest.approx(0.01 + 0.045 * (1 + math.cos(math.pi * 0.2)))


@pytest.mark.parametrize("schedule", [Constant(0.1), StepDecay(0.1, 4, 0.5), ExponentialDecay(0.2, 0.8),
                                      Cosine(0.1, 20, 0.001)])
def test_schedule_config_round_trip(schedule):
    assert schedule_from_config(schedule.config()) == schedule


# --- every optimiser against the formulas written out plainly, for several steps ------------------

def textbook_step(name, hp, p, g, state, t):
    """One update of one parameter p (returned anew) from the formulas, written plainly."""
    if name == "sgd":
        return p - hp["lr"] * g
    if name in ("momentum", "nesterov"):
        state["v"] = hp["momentum"] * state.get("v", 0) + g
        look = g + hp["momentum"] * state["v"] if name == "nesterov" else state["v"]
        return p - hp["lr"] * look
    if name == "rmsprop":
        state["s"] = hp["rho"] * state.get("s", 0) + (1 - hp["rho"]) * g**2
        return p - hp["lr"] * g / (np.sqrt(state["s"]) + hp["eps"])
    state["m"] = hp["beta1"] * state.get("m", 0) + (1 - hp["beta1"]) * g
    state["v"] = hp["beta2"] * state.get("v", 0) + (1 - hp["beta2"]) * g**2
    m_hat = state["m"] / (1 - hp["beta1"] ** t)
    v_hat = state["v"] / (1 - hp["beta2"] ** t)
    return p - hp["lr"] * m_hat / (np.sqrt(v_hat) + hp["eps"])


HYPER = {
    "sgd": {"lr": 0.1},
    "momentum": {"lr": 0.05, "momentum": 0.9},
    "nesterov": {"lr": 0.05, "momentum": 0.8},
    "rmsprop": {"lr": 0.01, "rho": 0.9, "eps": 1e-7},
    "adam": {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
    "adamw": {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
}


@pytest.mark.parametrize("weight_decay", [0.0, 0.05])
@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_optimiser_follows_its_formula_for_many_steps(name, weight_decay):
    shapes = [(30, 7), (7,), (7, 3), (3,)]
    rng = np.random.default_rng(5)
    params = [rng.standard_normal(shape) for shape in shapes]
    plain = [p.copy() for p in params]
    states = [{} for _ in plain]
    hp = HYPER[name]
    optimizer = OPTIMIZERS[name](**hp, weight_decay=weight_decay)
    for t in range(1, 6):
        grads = [rng.standard_normal(shape) * 0.1 for shape in shapes]
        optimizer.step(list(zip(params, grads, strict=True)))
        for i, g in enumerate(grads):
            if plain[i].ndim == 2 and name == "adamw":  # decoupled: θ ← θ − η λ θ, then Adam
                plain[i] = plain[i] - hp["lr"] * weight_decay * plain[i]
            elif plain[i].ndim == 2:
                g = g + weight_decay * plain[i]  # L2 decay on the weight matrices only
            plain[i] = textbook_step(name, hp, plain[i], g, states[i], t)
    for param, expected in zip(params, plain, strict=True):
        np.testing.assert_allclose(param, expected, rtol=1e-12, atol=1e-14)


def test_adamw_by_hand():
    # Step 1 with η = 0.1, λ = 0.1: W shrinks by ηλ = 1 % first, W = [0.5, −1]·0.99 = [0.495, −0.99],
    # then Adam's first step moves each weight by η g / (|g| + ε) ≈ η sign(g), g = [0.1, −0.2]:
    # W = [0.495 − 0.1, −0.99 + 0.1] = [0.395, −0.89]. The bias is not decayed: b = [0.25 − 0.1, 0].
    (W, b), (W2, _) = run(AdamW(0.1, weight_decay=0.1), steps=2)
    step1 = 0.1 * np.array([0.1 / (0.1 + 1e-8), 0.2 / (0.2 + 1e-8)]) * [1, -1]
    np.testing.assert_allclose(W, [[0.495 - step1[0], -0.99 - step1[1]]], rtol=1e-12)
    np.testing.assert_allclose(W, [[0.395, -0.89]], rtol=1e-6)
    np.testing.assert_allclose(b, [0.25 - 0.1 * 0.3 / (0.3 + 1e-8), 0.0], rtol=1e-12)
    # step 2 for W[0, 0]: decay of the new value, then Adam's step 2 (worked in test_adam_first_step)
    m_hat, v_hat = -0.021 / 0.19, 9.999e-5 / (1 - 0.999**2)
    assert W2[0, 0] == pytest.approx(W[0, 0] * 0.99 - 0.1 * m_hat / (math.sqrt(v_hat) + 1e-8), rel=1e-12)
    # unlike Adam with L2, where λθ joins g and is normalised away on step 1
    (W_l2, _), = run(Adam(0.1, weight_decay=0.1), steps=1)
    assert not np.allclose(W_l2, W)
    assert AdamW().weight_decay == 0.01 and OPTIMIZERS["adamw"] is AdamW


def test_max_norm_by_hand():
    # W (2, 2): column 0 = [3, 4] has norm 5, column 1 = [0.6, 0.8] has norm 1. With c = 2 after a
    # zero-gradient SGD step, column 0 is scaled onto the ball, [3, 4]·2/5 = [1.2, 1.6]; column 1 stays.
    params = flat(np.array([[3.0, 0.6], [4.0, 0.8]]), np.array([10.0, -10.0]))
    step(SGD(0.1, max_norm=2.0), params, np.zeros((2, 2)), np.zeros(2))
    np.testing.assert_allclose(params[0], [[1.2, 0.6], [1.6, 0.8]], rtol=1e-12)
    np.testing.assert_array_equal(params[1], [10.0, -10.0])  # biases are not constrained
    # after a real step: the norm is measured on the updated weights
    params = flat(np.array([[1.0], [0.0]]), np.array([0.0]))
    step(SGD(1.0, max_norm=1.5), params, np.array([[-2.0], [0.0]]), np.zeros(1))  # w = [3, 0]
    np.testing.assert_allclose(params[0], [[1.5], [0.0]], rtol=1e-12)
    with pytest.raises(ValueError, match="max-norm must be positive"):
        Adam(max_norm=0.0)
    assert Adam(max_norm=3.0).config()["max_norm"] == 3.0 and "max_norm" not in Adam().config()


# --- per-step schedules, by hand ------------------------------------------------------------------

def test_linear_warmup_by_hand():
    warmup = LinearWarmup(0.1, warmup_steps=4)  # η₀ (s + 1) / 4, then η₀
    assert [warmup(s, 1, 100) for s in range(6)] == pytest.approx([0.025, 0.05, 0.075, 0.1, 0.1, 0.1])


def test_cosine_steps_by_hand():
    cosine = CosineSteps(0.1, min_lr=0.0, warmup_steps=2)  # S = 10: cosine over s = 2 … 10
    assert cosine(0, 1, 10) == pytest.approx(0.05) and cosine(1, 1, 10) == pytest.approx(0.1)
    assert cosine(2, 1, 10) == pytest.approx(0.1)  # progress 0
    assert cosine(6, 1, 10) == pytest.approx(0.05)  # progress 4/8: half way down
    assert cosine(9, 1, 10) == pytest.approx(0.05 * (1 + math.cos(math.pi * 7 / 8)))
    assert CosineSteps(0.1, min_lr=0.01)(0, 1, 10) == pytest.approx(0.1)  # no warm-up: starts at η₀


def test_one_cycle_by_hand():
    cycle = OneCycle(1.0, warmup_fraction=0.25, div=10, final_div=100)  # S = 9: W = round(2.25) = 2
    assert cycle(0, 1, 9) == pytest.approx(0.1)  # η₀ / div
    assert cycle(1, 1, 9) == pytest.approx(0.55)  # half way up: 1 + (0.1 − 1)/2
    assert cycle(2, 1, 9) == pytest.approx(1.0)  # the peak
    assert cycle(5, 1, 9) == pytest.approx((1.0 + 0.001) / 2)  # half way down, to η₀ / (div · final_div)
    assert cycle(8, 1, 9) == pytest.approx(0.001)  # the last batch


def test_exponential_steps_by_hand():
    decay = ExponentialSteps(0.001, gamma=0.999)  # per iteration: η₀ · 0.999^s
    assert decay(0, 1, 10) == 0.001 and decay(3, 1, 10) == pytest.approx(0.001 * 0.999**3)
    every = ExponentialSteps(0.1, gamma=0.5, every=100)
    assert [every(s, 1, 1000) for s in (0, 99, 100, 250)] == pytest.approx([0.1, 0.1, 0.05, 0.025])


def test_fit_sets_a_per_step_schedule_before_every_batch_and_resumes_identically():
    from barenet.nn import Callback, Dense, History, Sequential, SoftmaxCrossEntropy, fit

    class Rates(Callback):
        def __init__(self, optimizer):
            self.optimizer, self.seen = optimizer, []

        def on_batch_end(self, batch, loss):
            self.seen.append(self.optimizer.lr)

    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((50, 3)).astype(np.float32), rng.integers(0, 2, 50)
    schedule = OneCycle(0.05, warmup_fraction=0.3)
    optimizer = Adam(0.05)
    rates = Rates(optimizer)
    straight = Sequential([Dense(3, 2, rng=0)])
    history = fit(straight, SoftmaxCrossEntropy(), optimizer, x, y, epochs=3, batch_size=16,
                  schedule=schedule, callbacks=[rates])
    assert rates.seen == [schedule(s, 4, 12) for s in range(12)]  # 4 batches × 3 epochs
    assert history.column("lr") == [schedule(s, 4, 12) for s in (0, 4, 8)]  # each epoch's first
    class StopAfterOne(Callback):  # an interruption of the 3-epoch run after its first epoch
        def on_epoch_end(self, epoch, record):
            return True

    part, part_optimizer = Sequential([Dense(3, 2, rng=0)]), Adam(0.05)
    first = fit(part, SoftmaxCrossEntropy(), part_optimizer, x, y, epochs=3, batch_size=16,
                schedule=schedule, callbacks=[StopAfterOne()])
    assert len(first.records) == 1
    fit(part, SoftmaxCrossEntropy(), part_optimizer, x, y, epochs=3, batch_size=16, schedule=schedule,
        history=History.from_dict(first.to_dict()))
    for (_, mine), (_, theirs) in zip(part.named_parameters(), straight.named_parameters(), strict=True):
        np.testing.assert_array_equal(mine, theirs)
