"""Is an answer right? Tolerances by the dtype the learner computed in, and the first element off.

An element passes when |r − e| ≤ rtol · |e| + floor · max|e|: relative where values are large
enough to measure one, absolute (a floor scaled by the largest expected value) where they are not
(the tanh form of the sigmoid is 1e-16 off near z = −30, where σ(z) ≈ 1e-13). A float32 answer is
judged to about 1e-4, a float64 one to 1e-6: a wrong formula is off by far more than either.

The generic diagnoses live here too: an answer that is the right one transposed, negated, or
multiplied by a constant.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: (rtol, floor) by the dtype of the learner's answer.
TOLERANCES = {"float64": (1e-6, 1e-9), "float32": (1e-4, 1e-4)}


def low_precision(value: object) -> bool:
    """Whether `value` (or an array inside a tuple or dict) is a float array narrower than float64."""
    if isinstance(value, dict):
        return any(low_precision(item) for item in value.values())
    if isinstance(value, (tuple, list)):
        return any(low_precision(item) for item in value)
    dtype = getattr(value, "dtype", None)
    return dtype is not None and dtype.kind == "f" and dtype.itemsize < 8


def tolerance_for(received: object, rtol: float | None = None, floor: float | None = None,
                  inputs: object = None) -> tuple[float, float]:
    """The (rtol, floor) that fit the dtype the learner computed in: that of `received`, or float32
    when the inputs were (a loop that fills a float64 array still computes in float32); a case's
    own values win for float64."""
    low = low_precision(received) or low_precision(inputs)
    base_rtol, base_floor = TOLERANCES["float32" if low else "float64"]
    if rtol is not None and not low:
        base_rtol = rtol
    if floor is not None and not low:
        base_floor = floor
    return base_rtol, base_floor


def smallest(received) -> float:
    """Below this, values are equal in the learner's dtype (float32 flushes 1e-45 to 0)."""
    dtype = getattr(received, "dtype", None)
    low = dtype is not None and dtype.kind == "f" and dtype.itemsize < 8
    return 1e-30 if low else 1e-300


def close(received, expected, rtol: float, floor: float, scale: float = 0.0) -> bool:
    """Same shape and every element within tolerance (nan never passes); `scale`, when larger than
    max|expected|, is what the floor is a fraction of (saturated sigmoids: values ≈ 0 that float32
    rounds to 0 next to gradients of size 1)."""
    atol = smallest(received)
    r, e = np.asarray(received, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    if r.shape != e.shape or not np.all(np.isfinite(e)):
        return False
    if r.size == 0:
        return True
    scale = max(float(np.max(np.abs(e))) if np.all(np.isfinite(e)) else 1.0, scale)
    with np.errstate(invalid="ignore", over="ignore"):
        return bool(np.all(np.abs(r - e) <= rtol * np.abs(e) + floor * scale + atol))


@dataclass
class Difference:
    """Where an answer first departs from the expected one."""

    index: tuple[int, ...] | None  # None for a float, or when the shapes differ
    expected: float | None
    received: float | None


def first_difference(received, expected, rtol: float, floor: float, scale: float = 0.0) -> Difference:
    """The first element (in C order) outside the tolerance, or the shapes when they differ."""
    atol = smallest(received)
    r, e = np.asarray(received, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    if r.shape != e.shape:
        return Difference(None, None, None)
    if r.ndim == 0:
        return Difference(None, float(e), float(r))
    scale = max(float(np.max(np.abs(e))) if e.size and np.all(np.isfinite(e)) else 1.0, scale)
    with np.errstate(invalid="ignore", over="ignore"):
        bad = ~(np.abs(r - e) <= rtol * np.abs(e) + floor * scale + atol)
    where = np.argwhere(bad)
    index = tuple(int(i) for i in where[0]) if len(where) else (0,) * r.ndim
    return Difference(index, float(e[index]), float(r[index]))


def transposed(received, expected, rtol: float, floor: float) -> bool:
    r, e = np.asarray(received), np.asarray(expected)
    return r.ndim == 2 and e.ndim == 2 and not close(r, e, rtol, floor) and close(r.T, e, rtol, floor)


def factor(received, expected, rtol: float, floor: float) -> float | None:
    """c when received = c · expected for one constant c ≠ 1 (c may be −1); None otherwise."""
    r, e = np.asarray(received, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    if r.shape != e.shape or not (np.all(np.isfinite(r)) and np.all(np.isfinite(e))):
        return None
    norm = float(np.sum(e * e))
    if norm == 0.0:
        return None
    c = float(np.sum(r * e)) / norm
    if c == 0.0 or abs(c - 1.0) < 1e-3:
        return None
    return c if close(r, c * e, max(rtol, 1e-6), floor * max(1.0, abs(c))) else None


def name_factor(c: float, constants: dict[str, float]) -> str | None:
    """A constant's likely name: "1/N" for 0.25 when N = 4, "2", "1/2", "2/k", "N/C"…, or None."""
    base: dict[str, float] = {"1": 1.0, "ln 10": float(np.log(10)), "ln 2": float(np.log(2))}
    for name, value in constants.items():
        if value not in (0, 1):
            base.setdefault(name, float(value))
    for a in list(constants):
        for b in list(constants):
            if a != b and constants[b] and constants[a]:
                base.setdefault(f"{a}/{b}", constants[a] / constants[b])
                base.setdefault(f"{a}·{b}", constants[a] * constants[b])
    candidates: dict[str, float] = {"2": 2.0, "1/2": 0.5}
    for name, value in base.items():
        if name == "1":
            continue
        wrapped = f"({name})" if len(name) > 1 else name
        for label, number in ((name, value), (f"1/{wrapped}", 1 / value), (f"2{wrapped}", 2 * value),
                              (f"{wrapped}/2", value / 2), (f"2/{wrapped}", 2 / value),
                              (f"1/(2{wrapped})", 1 / (2 * value))):
            candidates.setdefault(label, number)
    for name, value in candidates.items():
        if abs(abs(c) / value - 1.0) < 1e-6:
            return name
    return None
