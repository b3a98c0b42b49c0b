"""Preparation: from the uint8 images of a `Dataset` to what a network is trained on.

    to_float01(images) -> x                   (N, 28, 28) or (N, 784) uint8 -> (N, 784) float32
    Standardizer.fit(x_train) -> st           mean/std of the *training* pixels
    st.transform(x) -> (x - mean) / std       float32; st.to_dict() / Standardizer.from_dict(d)
    to_int_labels(y) -> (N,) int64
    select_classes(x, y, classes) -> x2, y2   a class subset, labels remapped to 0..k-1
    stratified_split(y, val_size, rng) -> train_idx, val_idx

Example, a binary 0-vs-1 classifier with a validation set held out of the training set (the
test set is kept for the final evaluation only)::

    x = to_float01(ds.train_images); y = ds.train_labels
    x, y = select_classes(x, y, classes=[0, 1])
    train_idx, val_idx = stratified_split(y, val_size=0.1, rng=np.random.default_rng(0))
    st = Standardizer.fit(x[train_idx])          # fit on the training part only
    x_train, x_val = st.transform(x[train_idx]), st.transform(x[val_idx])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from barenet.errors import DataError
from barenet.i18n import _


def to_float01(images: np.ndarray) -> np.ndarray:
    """Pixels as float32 in [0, 1]: x = images / 255, flattened to rows.

    images: (N, H, W) or (N, H·W) uint8 -> x: (N, H·W) float32. One vectorised division, exact
    (x·255 gives back the integer); no per-pixel loop.
    """
    images = np.asarray(images)
    if images.dtype != np.uint8:
        raise DataError(
            _("to_float01 expects uint8 pixels 0..255, got {dtype}; pass the images of a Dataset "
              "(already-scaled floats must not be divided by 255 again)").format(
                dtype=images.dtype)
        )
    if images.ndim < 2:
        raise DataError(_("to_float01 expects (N, H, W) or (N, H·W) images, got {shape}").format(
                            shape=images.shape))
    flat = images.reshape(len(images), -1)  # (N, H, W) -> (N, H·W), a view
    return np.divide(flat, np.float32(255), dtype=np.float32)


def to_int_labels(labels: np.ndarray) -> np.ndarray:
    """Labels as a (N,) int64 array (safe for indexing and one-hot encoding)."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        raise DataError(_("labels must be a 1-D integer array, got {dtype} {shape}").format(
                            dtype=labels.dtype, shape=labels.shape))
    return labels.astype(np.int64)


@dataclass(frozen=True)
class Standardizer:
    """Standardisation with the training set's statistics: x' = (x - mean) / std.

    Global (default): `mean` and `std` are two floats over all pixels of all training images
    (≈ 0.1307 and 0.3081 for MNIST in [0, 1]), the classical MNIST normalisation. Chosen over
    per-pixel statistics because the border pixels of MNIST are 0 in every training image: their
    std is 0, and dividing a user's drawing by a clamped tiny std there would blow up any stroke
    that strays to the border. Per-pixel (`per_pixel=True`) is offered anyway: `mean` and `std`
    are then (D,) arrays, with `std` clamped below at `min_std`.

    The statistics must travel with the model: `to_dict()` gives plain floats / lists for the
    model file's JSON, `from_dict()` restores them.
    """

    mean: float | np.ndarray
    std: float | np.ndarray
    per_pixel: bool = False

    @classmethod
    def fit(cls, x: np.ndarray, *, per_pixel: bool = False, min_std: float = 1e-2):
        """Statistics of x: (N, D) float pixels, accumulated in float64, in chunks of rows.

        mean = Σx / (N·D), std = sqrt(Σ(x − mean)² / (N·D))  (global; per-pixel: over N only).
        """
        x = np.asarray(x)
        if x.ndim != 2 or x.shape[0] == 0 or x.dtype.kind != "f":
            raise DataError(
                _("Standardizer.fit expects (N, D) float pixels with N > 0, got {dtype} {shape}; apply "
                  "to_float01 first").format(dtype=x.dtype, shape=x.shape)
            )
        axis = 0 if per_pixel else None
        count = x.shape[0] if per_pixel else x.size
        total = sum(chunk.sum(axis=axis, dtype=np.float64) for chunk in _row_chunks(x))
        mean = total / count
        # Two passes (sum of squared deviations), not E[x²] − E[x]², for exactness.
        squares = sum(
            np.square(chunk.astype(np.float64) - mean).sum(axis=axis) for chunk in _row_chunks(x)
        )
        std = np.sqrt(squares / count)
        if per_pixel:
            return cls(mean.astype(np.float32), np.maximum(std, min_std).astype(np.float32), True)
        if std == 0:
            raise DataError(_("Standardizer.fit: every training pixel has the same value (std 0)"))
        return cls(float(mean), float(std), False)

    def transform(self, x: np.ndarray) -> np.ndarray:
        """x: (N, D) float -> (x − mean) / std, (N, D) float32."""
        x = np.asarray(x)
        if self.per_pixel and (x.ndim != 2 or x.shape[1] != np.size(self.mean)):
            raise DataError(
                _("Standardizer was fitted on {size} features, got shape {shape}").format(
                    size=np.size(self.mean), shape=x.shape)
            )
        mean = np.asarray(self.mean, dtype=np.float32)
        scale = np.float32(1) / np.asarray(self.std, dtype=np.float32)
        out = np.subtract(x, mean, dtype=np.float32)
        out *= scale
        return out

    def to_dict(self) -> dict:
        """Plain JSON-able form: {"kind": "global"|"per-pixel", "mean": ..., "std": ...}."""
        if self.per_pixel:
            return {
                "kind": "per-pixel",
                "mean": np.asarray(self.mean, dtype=np.float64).tolist(),
                "std": np.asarray(self.std, dtype=np.float64).tolist(),
            }
        return {"kind": "global", "mean": float(self.mean), "std": float(self.std)}

    @classmethod
    def from_dict(cls, d: Mapping) -> Standardizer:
        """Inverse of `to_dict`; a malformed dict raises `DataError`."""
        try:
            kind = d["kind"]
            if kind == "global":
                mean, std = float(d["mean"]), float(d["std"])
                if not (np.isfinite(mean) and np.isfinite(std) and std > 0):
                    raise ValueError(_("mean and std must be finite, std > 0"))
                return cls(mean, std, False)
            if kind == "per-pixel":
                mean = np.asarray(d["mean"], dtype=np.float32)
                std = np.asarray(d["std"], dtype=np.float32)
                if mean.ndim != 1 or mean.shape != std.shape:
                    raise ValueError(_("mean and std must be lists of equal length"))
                if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(std)) and np.all(std > 0)):
                    raise ValueError(_("mean and std must be finite, std > 0"))
                return cls(mean, std, True)
            raise ValueError(_("unknown kind {kind!r} (expected 'global' or 'per-pixel')").format(kind=kind))
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(
                _("invalid standardisation record ({exc}); re-train or re-save the model").format(exc=exc)
            ) from None


def _row_chunks(x: np.ndarray, rows: int = 4096):
    """Views of `rows` rows at a time: float64 temporaries stay small (rows·D·8 bytes)."""
    for start in range(0, len(x), rows):
        yield x[start : start + rows]


def select_classes(
    x: np.ndarray, y: np.ndarray, classes: Sequence[int]
) -> tuple[np.ndarray, np.ndarray]:
    """Keep the samples whose label is in `classes`; relabel them 0..k−1 *in the given order*.

    x: (N, ...) any; y: (N,) int. classes=[3, 8] keeps the 3s and 8s with new labels 3 → 0,
    8 → 1 (classes=[8, 3] gives 8 → 0, 3 → 1). Returns x2: (M, ...) (a copy), y2: (M,) int64.
    The original class of new label i is classes[i].
    """
    y = to_int_labels(y)
    classes = [int(c) for c in classes]
    if len(x) != len(y):
        raise DataError(_("select_classes: {n_x} samples but {n_y} labels").format(n_x=len(x), n_y=len(y)))
    if not classes:
        raise DataError(_("select_classes: no class given; name at least one, e.g. --classes 0,1"))
    if len(set(classes)) != len(classes):
        raise DataError(_("select_classes: classes {classes} repeat a class; list each once").format(
                            classes=classes))
    present = set(np.unique(y).tolist())
    absent = [c for c in classes if c not in present]
    if absent:
        raise DataError(
            _("select_classes: class(es) {absent} do not occur in the labels (present: {present}); choose "
              "among those").format(absent=absent, present=sorted(present))
        )
    lookup = np.full(max(max(classes), int(y.max())) + 1, -1, dtype=np.int64)
    lookup[classes] = np.arange(len(classes))  # old label -> new label, -1 = dropped
    new = lookup[y]
    keep = new >= 0
    return x[keep], new[keep]


def stratified_split(
    y: np.ndarray, val_size: int | float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Hold out a validation set with the same class proportions as `y`.

    y: (N,) int labels. val_size: a count (int, 0 ≤ n < N) or a fraction (float in [0, 1)).
    Class c with N_c samples gives ≈ n·N_c/N to validation: the floors, plus one more to the
    classes with the largest remainders until the total is exactly n (largest-remainder rule).
    Within each class the held-out samples are drawn with `rng` (classes in ascending order), so
    the same seed gives the same split. Returns (train_idx, val_idx): sorted, disjoint int64
    arrays whose union is arange(N).
    """
    y = to_int_labels(y)
    n_total = len(y)
    if isinstance(val_size, (bool, np.bool_)) or not isinstance(
        val_size, (int, float, np.integer, np.floating)
    ):
        raise DataError(_("val_size must be a count or a fraction, got {val_size!r}").format(
                            val_size=val_size))
    if isinstance(val_size, (float, np.floating)):
        if not 0.0 <= val_size < 1.0:
            raise DataError(_("validation fraction {val_size} must be in [0, 1)").format(val_size=val_size))
        n_val = round(val_size * n_total)
    else:
        n_val = int(val_size)
    if not 0 <= n_val < n_total:
        raise DataError(
            _("validation size {n_val} must be at least 0 and less than the {n_total} training "
              "samples").format(n_val=n_val, n_total=n_total)
        )
    classes, counts = np.unique(y, return_counts=True)
    quota = counts * (n_val / n_total)  # (K,) exact shares
    take = np.floor(quota).astype(np.int64)
    short = n_val - int(take.sum())
    if short:
        # largest remainders first; ties by class order (stable sort)
        order = np.argsort(-(quota - take), kind="stable")
        take[order[:short]] += 1
    val_parts = []
    for c, k in zip(classes, take, strict=True):
        members = np.flatnonzero(y == c)  # ascending indices of class c
        val_parts.append(members[rng.permutation(len(members))[:k]])
    val_idx = np.sort(np.concatenate(val_parts)) if val_parts else np.empty(0, np.int64)
    mask = np.ones(n_total, dtype=bool)
    mask[val_idx] = False
    return np.flatnonzero(mask), val_idx.astype(np.int64)
