"""Finite-difference gradient check: the proof that a backward pass computes ∂L/∂θ.

For a parameter element θ_i, the central difference

    n_i = (L(θ + ε e_i) − L(θ − ε e_i)) / (2ε)                  (e_i: 1 at entry i, 0 elsewhere)

is compared with backpropagation's value a_i. Per array (a parameter such as "0.W", or the input
"input"), over the entries checked (all, or a seeded random `sample` of them):

    error = max_i |a_i − n_i| / max(max_i |a_i|, max_i |n_i|, floor)

the largest disagreement relative to the largest gradient of the array. (Dividing entry by entry
would turn the finite difference's rounding noise into a large relative error wherever one
gradient is nearly 0.) The check passes when error < tolerance (1e-6 by default).

How small can the error be? n_i carries two errors of its own:
- truncation, ε² |∂³L/∂θ_i³| / 6: about 1e-13 for a network's loss at ε = 1e-6;
- rounding: L is computed to about u·max(1, |L|) (u = 2.2e-16, float64's machine epsilon; the 1
  because log-sum-exp takes the log of a number ≥ 1), and dividing the difference of two such
  values by 2ε makes that NOISE = u·max(1, |L|) / ε, about 2e-10 at ε = 1e-6.
A correct backward pass therefore agrees with n_i to about 1e-11..1e-10 in absolute terms. When
the gradients themselves are about 1e-5 or smaller (a well-trained model on images it gets right:
its loss is about 1e-4, its gradients 1e-6..1e-4), that noise alone is a relative error of
1e-6..1e-4, and a plain relative test fails a correct network. Hence the floor: the denominator
is never below

    floor = NOISE / 1e-6        (about 2e-4 at ε = 1e-6)

the gradient size at which the noise is a millionth of the gradient. With the default tolerance,

    error < 1e-6   ⟺   max_i |a_i − n_i| < max(1e-6 · max_i(|a_i|, |n_i|), NOISE)

a relative test for gradients large enough to be measured, an absolute one at the noise level
for smaller ones. A real mistake in a backward pass is as large as the gradient itself, far above
the noise. (A larger ε, about 1e-5, would cut the rounding noise tenfold, but each step then
straddles more ReLU kinks, where no derivative exists; barenet keeps ε = 1e-6.)

In float32 (u = 1.2e-7) the noise at ε = 1e-6 is about 0.1: no check is possible. A float32
model is therefore checked in a float64 copy (`float64_copy`); the model itself is left unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from barenet.nn.layers import Dropout, as_generator
from barenet.nn.losses import Loss
from barenet.nn.model import Sequential

TOLERANCE = 1e-6  # the default pass mark, and the relative error the floor is set for
ROUNDING = float(np.finfo(np.float64).eps)  # u = 2.2e-16

#: progress(done, total): called after each entry, with the entries done and to do in all.
Progress = Callable[[int, int], None]


@dataclass
class ArrayCheck:
    """The check of one array: where it looked, what it found.

    indices: (k,) flat indices of the entries checked (into an array of `shape`).
    analytic, numeric: (k,) backprop's and the central difference's ∂L/∂entry there.
    scale: max(|analytic|, |numeric|); floor: the least denominator (NOISE / 1e-6);
    error: max |analytic − numeric| / max(scale, floor); loss: L at the unperturbed point.
    """

    name: str
    shape: tuple[int, ...]
    indices: np.ndarray
    analytic: np.ndarray
    numeric: np.ndarray
    scale: float
    floor: float
    error: float
    loss: float

    @property
    def size(self) -> int:
        """How many entries the array has (of which `len(indices)` were checked)."""
        return int(np.prod(self.shape, dtype=np.int64))


def relative_error(analytic: np.ndarray, numeric: np.ndarray, floor: float = 0.0) -> float:
    """max |a − n| / max(max |a|, max |n|, floor) over all entries; 0 when that divisor is 0."""
    scale = max(np.abs(analytic).max(initial=0.0), np.abs(numeric).max(initial=0.0), floor)
    if scale == 0:
        return 0.0
    return float(np.abs(analytic - numeric).max(initial=0.0) / scale)


def rounding_noise(loss_value: float, eps: float) -> float:
    """NOISE = u·max(1, |L|) / ε: the rounding error to expect in a float64 central difference."""
    return ROUNDING * max(1.0, abs(loss_value)) / eps


def numerical_gradient(f: Callable[[], float], array: np.ndarray, eps: float = 1e-6,
                       indices: np.ndarray | None = None,
                       progress: Callable[[], None] | None = None) -> np.ndarray:
    """∂f/∂array by central differences, perturbing `array` in place one entry at a time.

    indices: flat indices to differentiate at (default: every entry). Returns an array shaped
    like `array` (zero where not computed) when indices is None, else the (k,) values at indices.
    Each entry is restored exactly after its two evaluations of f.
    """
    flat = array.reshape(-1)  # a view: writing it perturbs `array`
    if not np.may_share_memory(flat, array):
        raise ValueError("numerical_gradient needs an array it can perturb in place (contiguous)")
    chosen = np.arange(flat.size) if indices is None else np.asarray(indices)
    values = np.empty(len(chosen), dtype=np.float64)
    for k, i in enumerate(chosen):
        original = flat[i]
        flat[i] = original + eps
        plus = f()
        flat[i] = original - eps
        minus = f()
        flat[i] = original
        values[k] = (plus - minus) / (2 * eps)
        if progress is not None:
            progress()
    return values.reshape(array.shape) if indices is None else values


def float64_copy(model: Sequential) -> Sequential:
    """The same network in float64 (`Sequential.astype`), Dropout masks and `frozen` kept.

    Raises ValueError when the network cannot be copied (a layer of the user's own, not in
    `LAYERS`): in float32 no check is possible, so none is made.
    """
    try:
        copy = model.astype(np.float64)
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(
            f"cannot check the gradients of this {model.dtype} network: its float64 copy failed "
            f"({exc}); central differences in {model.dtype} are off by about 0.1, so build the "
            "network with dtype=np.float64 to check it"
        ) from None
    for mine, theirs in zip(copy.layers, model.layers, strict=True):
        if isinstance(theirs, Dropout):
            mine.frozen = theirs.frozen
            if theirs.scaled_mask is not None:
                mine.scaled_mask = theirs.scaled_mask.astype(np.float64)
    return copy


def in_float64(model: Sequential) -> Sequential:
    """`model` if its parameters are float64 (or it has none), else its float64 copy."""
    if model.parameter_count() == 0 or model.dtype == np.float64:
        return model
    return float64_copy(model)


def sample_indices(size: int, sample: int | None, rng: np.random.Generator) -> np.ndarray:
    """Sorted flat indices: all of range(size), or `sample` of them drawn without replacement."""
    if sample is None or sample >= size:
        return np.arange(size)
    if sample < 1:
        raise ValueError(f"sample must be at least 1 entry per array, got {sample}")
    return np.sort(rng.choice(size, size=sample, replace=False))


def check_gradients(
    model: Sequential,
    loss: Loss,
    x: np.ndarray,
    y: np.ndarray,
    eps: float = 1e-6,
    training: bool = False,
    *,
    sample: int | None = None,
    rng: np.random.Generator | int | None = 0,
    progress: Progress | None = None,
) -> list[ArrayCheck]:
    """Backprop against central differences, per parameter array and for the input x.

    x: (N, n_in), y: the loss's targets. Checked in float64: a model of another dtype is copied
    (`in_float64`), x is converted. sample: entries per array (drawn with `rng`; None = all).
    progress(done, total) is called after every entry.
    training: run Dropout layers in training mode; they must be `frozen` with a mask drawn (one
    forward with training=True first) so that L is one fixed function of θ.
    Returns one ArrayCheck per parameter, in `named_parameters()` order, then "input".
    """
    model = in_float64(model)
    x = np.array(x, dtype=np.float64)  # a copy: perturbed in place below
    rng = as_generator(rng)

    def loss_value() -> float:
        return float(loss.forward(model.forward(x, training=training), y))

    loss_at_theta = loss_value()
    floor = rounding_noise(loss_at_theta, eps) / TOLERANCE
    grad_x = model.backward(loss.backward())
    arrays = [(name, param, grad.copy()) for (name, param), (_, grad)
              in zip(model.named_parameters(), model.parameters(), strict=True)]
    arrays.append(("input", x, grad_x))
    chosen = [sample_indices(array.size, sample, rng) for _, array, _ in arrays]
    total, done = sum(len(c) for c in chosen), 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    checks = []
    for (name, array, analytic), indices in zip(arrays, chosen, strict=True):
        numeric = numerical_gradient(loss_value, array, eps, indices, tick)
        a = analytic.reshape(-1)[indices]
        checks.append(ArrayCheck(
            name, array.shape, indices, a, numeric,
            scale=max(np.abs(a).max(initial=0.0), np.abs(numeric).max(initial=0.0)),
            floor=floor, error=relative_error(a, numeric, floor), loss=loss_at_theta,
        ))
    return checks
