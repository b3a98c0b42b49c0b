"""Initialisers: their statistics, limits, seeding, and that they never touch np.random's state."""

from __future__ import annotations

import math

import numpy as np
import pytest

from barenet.nn import INITIALIZERS, get_initializer
from barenet.nn.initializers import fans

SHAPE = (400, 300)  # fan_in 400, fan_out 300: 120 000 draws, so a sample std is within ~0.2 %

STDS = {  # the standard deviation each scheme promises, for SHAPE
    "lecun_normal": math.sqrt(1 / 400),
    "xavier_normal": math.sqrt(2 / (400 + 300)),
    "he_normal": math.sqrt(2 / 400),
    "normal": 0.01,
}
LIMITS = {  # the half-width a of U(−a, a)
    "lecun_uniform": math.sqrt(3 / 400),
    "xavier_uniform": math.sqrt(6 / (400 + 300)),
    "he_uniform": math.sqrt(6 / 400),
    "uniform": 0.05,
}


@pytest.mark.parametrize("name", sorted(STDS))
def test_normal_initialisers_have_the_promised_std(name):
    w = get_initializer(name)(SHAPE, np.random.default_rng(0), np.float64)
    assert w.shape == SHAPE
    assert abs(w.mean()) < 4 * STDS[name] / math.sqrt(w.size)  # 4 standard errors of the mean
    assert w.std() == pytest.approx(STDS[name], rel=0.01)  # std's standard error ≈ 0.2 %


@pytest.mark.parametrize("name", sorted(LIMITS))
def test_uniform_initialisers_respect_their_limits(name):
    a = LIMITS[name]
    w = get_initializer(name)(SHAPE, np.random.default_rng(0), np.float64)
    assert np.abs(w).max() <= a
    assert np.abs(w).max() > 0.999 * a  # the limit is reached, not a smaller one
    assert w.std() == pytest.approx(a / math.sqrt(3), rel=0.01)  # Var U(−a, a) = a²/3


def test_aliases_and_scales():
    assert INITIALIZERS["glorot_normal"] is INITIALIZERS["xavier_normal"]
    assert INITIALIZERS["kaiming_uniform"] is INITIALIZERS["he_uniform"]
    w = get_initializer("normal:0.5")((200, 200), np.random.default_rng(0), np.float64)
    assert w.std() == pytest.approx(0.5, rel=0.02)
    w = get_initializer("uniform:0.1")((200, 200), np.random.default_rng(0), np.float64)
    assert np.abs(w).max() <= 0.1
    assert (get_initializer("zeros")((3, 2), np.random.default_rng(0)) == 0).all()


def test_fans_of_a_bias():
    assert fans((7,)) == (7, 7)
    assert fans((3, 5)) == (3, 5)
    b = get_initializer("he_uniform")((50,), np.random.default_rng(0), np.float64)
    assert np.abs(b).max() <= math.sqrt(6 / 50)


@pytest.mark.parametrize("name", sorted(INITIALIZERS))
def test_same_seed_same_values_and_dtype(name):
    a = get_initializer(name)((5, 4), np.random.default_rng(42), np.float32)
    b = get_initializer(name)((5, 4), np.random.default_rng(42), np.float32)
    np.testing.assert_array_equal(a, b)
    assert a.dtype == np.float32 and a.shape == (5, 4)
    if name != "zeros":
        c = get_initializer(name)((5, 4), np.random.default_rng(43), np.float32)
        assert not np.array_equal(a, c)


def test_initialisers_never_touch_the_global_random_state():
    # the legacy global state is exactly what must stay untouched, so this test reads it
    np.random.seed(123)  # noqa: NPY002
    state = np.random.get_state()  # noqa: NPY002
    for name in INITIALIZERS:
        get_initializer(name)((20, 10), np.random.default_rng(0), np.float32)
    after = np.random.get_state()  # noqa: NPY002
    assert state[0] == after[0]
    np.testing.assert_array_equal(state[1], after[1])
    assert state[2:] == after[2:]


@pytest.mark.parametrize("spec", ["bogus", "he_normal:2", "normal:abc", "uniform:-1", "normal:0"])
def test_bad_specs_name_the_problem(spec):
    with pytest.raises(ValueError, match="initialiser"):
        get_initializer(spec)


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(ValueError, match="he_normal"):
        get_initializer("bogus")
