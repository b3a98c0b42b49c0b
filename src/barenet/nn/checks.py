"""The arguments of `fit` and `evaluate`, checked before a single step: one clear error each.

ShapeError (a ValueError) for inputs or targets that do not fit the network, in barenet's
words ("flatten the images: …", "y holds the label 10, but the network's 10 outputs …");
ValueError for settings `fit` cannot train with.
"""

from __future__ import annotations

import numpy as np

from barenet.errors import ShapeError
from barenet.nn.model import Sequential

SAMPLINGS = ("shuffle", "sequential", "replacement")


def check_targets(model: Sequential, y: np.ndarray, n: int, name: str = "y") -> None:
    """Raise ShapeError unless y holds n targets the network's K outputs can be scored against.

    Labels (n,) must be integers in 0 … K − 1 (0 or 1 for a single output unit, which also takes
    (n,) float targets: a regression, or probabilities); target rows
    (n, K) must have one column per output.
    """
    y = np.asarray(y)
    if len(y) != n:
        raise ShapeError(f"{n} inputs but {len(y)} targets; give one target per row of the inputs")
    k = model.output_size()
    if y.ndim == 2 and y.shape[1] != k:
        raise ShapeError(f"{name} is {y.shape}, one column per class, but the network has {k} "
                         f"output{'s' if k > 1 else ''}; pass ({n}, {k}) targets or ({n},) labels")
    if y.ndim > 2:
        raise ShapeError(f"{name} is {y.shape}; targets are ({n},) labels or ({n}, {k}) rows")
    if y.ndim == 1 and n and (k > 1 or y.dtype.kind in "biu"):
        top = max(k - 1, 1)
        if y.dtype.kind not in "biu":
            raise ShapeError(f"{name} holds {y.dtype} values; labels are integers 0 … {top} "
                             f"(pass {name}.astype(int) if they are whole numbers)")
        low, high = y.min(), y.max()
        if low < 0 or high > top:
            bad = low if low < 0 else high
            raise ShapeError(f"{name} holds the label {bad:g}, but the network's {k} output"
                             f"{'s' if k > 1 else ''} score{'' if k > 1 else 's'} labels 0 … {top}")


def check_fit_arguments(model: Sequential, x: np.ndarray, y: np.ndarray, batch_size: int,
                        sampling: str, validation: tuple | None, early_stopping: int | None,
                        steps: int | None) -> None:
    """Raise ValueError (ShapeError for shapes) for arguments `fit` cannot train with."""
    if sampling not in SAMPLINGS:
        raise ValueError(f"sampling must be one of {SAMPLINGS}, got {sampling!r}")
    if batch_size < 1:
        raise ValueError(f"batch size must be ≥ 1, got {batch_size}")
    if len(x) != len(y):
        raise ShapeError(f"{len(x)} inputs but {len(y)} targets; give one target per row of x")
    if len(x) == 0:
        raise ValueError("the training set is empty")
    if early_stopping is not None and validation is None:
        raise ValueError("early stopping needs validation data")
    if steps is not None and steps < 1:
        raise ValueError(f"steps must be ≥ 1, got {steps}")
    model.check_parameters()
    model.check_inputs(x)
    check_targets(model, y, len(x))
    if validation is not None:
        x_val, y_val = validation
        model.check_inputs(x_val, "x_val")
        check_targets(model, y_val, len(x_val), "y_val")
