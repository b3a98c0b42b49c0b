"""Inputs the exercises share: random arrays kept away from kinks, tiny printable cases, labels."""

from __future__ import annotations

import numpy as np


def away_from_zero(rng: np.random.Generator, shape: tuple[int, ...], scale: float = 1.0,
                   gap: float = 0.05) -> np.ndarray:
    """Normal values of std `scale` with |z| ≥ gap · scale: never on ReLU's kink at 0."""
    z = rng.normal(0.0, scale, size=shape)
    small = np.abs(z) < gap * scale
    z[small] = np.where(z[small] < 0, -1.0, 1.0) * gap * scale * (1 + rng.random(np.count_nonzero(small)))
    return z


def labels(rng: np.random.Generator, n: int, classes: int) -> np.ndarray:
    """n integer labels in range(classes), every class present when n ≥ classes."""
    y = rng.integers(0, classes, size=n)
    if n >= classes:
        y[:classes] = rng.permutation(classes)
    return y


def onehot(y: np.ndarray, classes: int) -> np.ndarray:
    out = np.zeros((len(y), classes))
    out[np.arange(len(y)), y] = 1.0
    return out


def softmax64(z: np.ndarray, axis: int = 1) -> np.ndarray:
    """The stable softmax along `axis` (for the references and the mutants)."""
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def extreme_rows(rng: np.random.Generator, n_cols: int, dtype) -> np.ndarray:
    """Rows of scores up to ±1000: a row of −1000s next to a row of +1000s, and mixed rows."""
    z = np.stack([np.full(n_cols, -1000.0), np.full(n_cols, 1000.0),
                  np.linspace(-1000, 1000, n_cols), rng.uniform(-1000, 1000, n_cols)])
    z[0, 1] = -998.0
    z[1, 0] = 999.0
    return z.astype(dtype)
