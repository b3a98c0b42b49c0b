"""Initialisers: how a weight matrix W of shape (fan_in, fan_out) gets its first values.

Sorted from the simplest to the variance-preserving schemes. Every initialiser is a callable

    init(shape, rng, dtype) -> array of `shape`

and draws from the `numpy.random.Generator` it is given, never from NumPy's global state.

| name            | distribution                    | scale                          | suits          |
|-----------------|---------------------------------|--------------------------------|----------------|
| zeros           | 0                               |                                | biases         |
| normal(std)     | N(0, std²)                      | std (default 0.01)             | tutorials      |
| uniform(limit)  | U(−limit, limit)                | limit (default 0.05)           | tutorials      |
| lecun_normal    | N(0, σ²)                        | σ = √(1 / fan_in)              | tanh, SELU     |
| lecun_uniform   | U(−a, a)                        | a = √(3 / fan_in)              | tanh           |
| xavier_normal   | N(0, σ²)   (Glorot)             | σ = √(2 / (fan_in + fan_out))  | sigmoid, tanh  |
| xavier_uniform  | U(−a, a)   (Glorot)             | a = √(6 / (fan_in + fan_out))  | sigmoid, tanh  |
| he_normal       | N(0, σ²)   (Kaiming)            | σ = √(2 / fan_in)              | ReLU           |
| he_uniform      | U(−a, a)   (Kaiming)            | a = √(6 / fan_in)              | ReLU           |

For a bias of shape (fan_out,) the fans are fan_in = fan_out = its length.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Initializer = Callable[[tuple[int, ...], np.random.Generator, "np.dtype | type"], np.ndarray]


def fans(shape: tuple[int, ...]) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight of shape (fan_in, fan_out), or of a bias (n,) as (n, n)."""
    if len(shape) == 1:
        return shape[0], shape[0]
    return shape[0], shape[1]


@dataclass(frozen=True)
class Zeros:
    """All zeros: the usual start for biases (weights must not start equal, or units stay twins)."""

    def __call__(self, shape, rng, dtype=np.float32) -> np.ndarray:
        """An array of `shape` and `dtype` holding 0 (`rng` unused)."""
        return np.zeros(shape, dtype=dtype)


@dataclass(frozen=True)
class Normal:
    """N(0, std²) with a fixed std, independent of the layer's size."""

    std: float = 0.01

    def __call__(self, shape, rng, dtype=np.float32) -> np.ndarray:
        """An array of `shape`: std · z with z ~ N(0, 1) drawn from `rng`, cast to `dtype`."""
        return (rng.standard_normal(shape) * self.std).astype(dtype)


@dataclass(frozen=True)
class Uniform:
    """U(−limit, limit) with a fixed limit."""

    limit: float = 0.05

    def __call__(self, shape, rng, dtype=np.float32) -> np.ndarray:
        """An array of `shape` drawn from U(−limit, limit) by `rng`, cast to `dtype`."""
        return rng.uniform(-self.limit, self.limit, shape).astype(dtype)


@dataclass(frozen=True)
class VarianceScaling:
    """Variance-preserving family: Var(W) = scale / fan, with fan from `mode`.

    normal:  W ~ N(0, σ²), σ = √(scale / fan)
    uniform: W ~ U(−a, a), a = √(3 · scale / fan)   (the variance of U(−a, a) is a² / 3)

    mode "fan_in" keeps the forward activations' variance, "fan_avg" (fan_in + fan_out)/2 the
    compromise of Glorot and Bengio between forward and backward.
    """

    scale: float
    mode: str  # "fan_in" or "fan_avg"
    distribution: str  # "normal" or "uniform"

    def __call__(self, shape, rng, dtype=np.float32) -> np.ndarray:
        """An array of `shape` (fan_in, fan_out) with variance scale / fan, drawn from `rng`."""
        fan_in, fan_out = fans(tuple(shape))
        fan = fan_in if self.mode == "fan_in" else (fan_in + fan_out) / 2
        variance = self.scale / fan
        if self.distribution == "normal":
            return (rng.standard_normal(shape) * np.sqrt(variance)).astype(dtype)
        limit = np.sqrt(3.0 * variance)
        return rng.uniform(-limit, limit, shape).astype(dtype)


#: The named initialisers. `normal` and `uniform` take one number, written `normal:0.01`.
INITIALIZERS: dict[str, Callable[..., Initializer]] = {
    "zeros": Zeros,
    "normal": Normal,
    "uniform": Uniform,
    "lecun_normal": lambda: VarianceScaling(1.0, "fan_in", "normal"),
    "lecun_uniform": lambda: VarianceScaling(1.0, "fan_in", "uniform"),
    "xavier_normal": lambda: VarianceScaling(1.0, "fan_avg", "normal"),
    "xavier_uniform": lambda: VarianceScaling(1.0, "fan_avg", "uniform"),
    "he_normal": lambda: VarianceScaling(2.0, "fan_in", "normal"),
    "he_uniform": lambda: VarianceScaling(2.0, "fan_in", "uniform"),
}
INITIALIZERS["glorot_normal"] = INITIALIZERS["xavier_normal"]
INITIALIZERS["glorot_uniform"] = INITIALIZERS["xavier_uniform"]
INITIALIZERS["kaiming_normal"] = INITIALIZERS["he_normal"]
INITIALIZERS["kaiming_uniform"] = INITIALIZERS["he_uniform"]


#: The largest std of normal:S and limit of uniform:S. He's σ for 784 inputs is 0.05; weights
#: of σ 10 already saturate every unit, and σ 1e308 (or inf) overflows float32 at once.
MAX_SCALE = 10.0


def get_initializer(spec: str | Initializer) -> Initializer:
    """An initialiser from its name (`"he_normal"`, `"normal:0.01"`, `"uniform:0.1"`) or itself.

    Raises ValueError naming the known initialisers for an unknown name or a bad number.
    """
    if callable(spec):
        return spec
    name, _, arg = spec.partition(":")
    if name not in INITIALIZERS:
        known = ", ".join(sorted(INITIALIZERS))
        raise ValueError(f"unknown initialiser {spec!r}: choose one of {known}")
    if not arg:
        return INITIALIZERS[name]()
    if name not in ("normal", "uniform"):
        raise ValueError(f"initialiser {name!r} takes no number (got {spec!r})")
    try:
        value = float(arg)
    except ValueError:
        raise ValueError(f"initialiser {spec!r}: {arg!r} is not a number") from None
    if not 0 < value <= MAX_SCALE:  # inf, 1e308: weights that overflow float32 in one layer
        raise ValueError(f"initialiser {spec!r}: the scale must be in (0, {MAX_SCALE:g}]")
    return INITIALIZERS[name](value)
