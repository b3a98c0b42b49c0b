"""Figures of a training run and of an evaluation, written as PNG files.

    learning_curves(history, path)          the training loss per iteration; loss and accuracy
                                            per epoch, training and validation
                                            (learning_curves_figure(history): the Figure itself)
    first_layer_weights(W, path)            the first Dense layer's columns as 28×28 tiles
    confusion_matrix(cm, class_names, path) counts, coloured by the fraction of the true class
    mistakes_gallery(images01, true, predicted, confidence, class_names, path)
                                            the most confident wrong predictions, as images
    evaluation(cm, class_names, images01, true, predicted, confidence, path)
                                            the confusion matrix and the gallery side by side
    augmented_digits(originals01, groups, path)
                                            digits beside their augmented variants, per group

Every function returns the path it wrote. matplotlib is imported inside the functions (so that
`import barenet.experiment.plots` and the command line stay fast) and used through its object-oriented API
with the Agg canvas: a `Figure` that no global pyplot state knows about, closed when it goes out
of scope, and no window ever opens. Each file is rendered in memory, then written with
`barenet.files.atomic_write`, so a reader never sees half a PNG.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from barenet.files import atomic_write
from barenet.i18n import _

DPI = 120
TRAIN_COLOR = "#1f77b4"  # matplotlib's C0 (blue)
VAL_COLOR = "#ff7f0e"  # matplotlib's C1 (orange)
WEIGHTS_CMAP = "RdBu_r"  # diverging: negative blue, 0 white, positive red
CONFUSION_CMAP = "Blues"


def _figure(width: float, height: float, layout: str | None = "constrained"):
    """A Figure with an Agg canvas attached (no pyplot, no window)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI, layout=layout)
    FigureCanvasAgg(fig)
    return fig


def _save(fig, path: str | Path) -> Path:
    """Render `fig` to PNG and write it to `path` atomically (parent directories created)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return atomic_write(path, buffer.getvalue())


def _records(history: Any) -> list[dict[str, Any]]:
    """Per-epoch records of a History (or of a plain list of record dicts)."""
    records = history.records if hasattr(history, "records") else history
    return list(records or [])


def _column(records: list[dict[str, Any]], key: str) -> np.ndarray:
    """A record column as floats, NaN where missing (e.g. no validation set)."""
    values = [r.get(key) for r in records]
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)


def _batch_series(history: Any) -> tuple[np.ndarray, np.ndarray, int]:
    """(steps, losses, every) of a History's per-batch losses; empty arrays when it kept none."""
    steps = np.asarray(getattr(history, "batch_steps", None) or [], dtype=np.int64)
    losses = np.asarray(getattr(history, "batch_losses", None) or [], dtype=np.float64)
    if len(steps) != len(losses):
        raise ValueError(_("the history holds {n_steps} batch steps but {n_losses} batch losses").format(
                             n_steps=len(steps), n_losses=len(losses)))
    return steps, losses, int(getattr(history, "batch_every", 1) or 1)


def moving_mean(values: np.ndarray, window: int) -> np.ndarray:
    """Means of `window` consecutive values: out[i] = mean(values[i : i + window]), (n − window + 1,)."""
    sums = np.cumsum(np.concatenate([[0.0], values]))  # sums[k] = values[:k].sum()
    return (sums[window:] - sums[:-window]) / window


def smoothing_window(n: int) -> int:
    """Points averaged by the smoothed per-iteration line: about 1/40 of the run, at least 1."""
    return max(1, min(n // 40, 500))


def _draw_iterations(ax, steps: np.ndarray, losses: np.ndarray, every: int) -> None:
    """The loss of every recorded batch (faint), its moving mean (solid), against the batch number.

    A log scale when the losses span more than two decades (a training loss usually falls from
    about 2.3 to below 0.01); markers when there are few points, so a short run shows each one.
    """
    window = smoothing_window(len(steps))
    alone = window == 1  # too few points to smooth: the raw line is the curve
    ax.plot(steps, losses, color=TRAIN_COLOR, alpha=None if alone else 0.35,
            linewidth=1.5 if alone else 0.8, marker="o" if len(steps) <= 30 else None, markersize=4,
            label="each batch" if every == 1 else f"every {every}th batch")
    if not alone:
        centre = steps[window // 2 : window // 2 + len(steps) - window + 1]
        ax.plot(centre, moving_mean(losses, window), color=TRAIN_COLOR, linewidth=2.0,
                label=f"mean of {window * every:,} batches")
    positive = losses[losses > 0]
    if len(positive) and positive.max() / positive.min() > 100:
        ax.set_yscale("log")
    ax.set_xlabel("iteration (batch)")
    ax.set_ylabel("training loss")
    ax.set_title("Training loss per iteration")
    ax.grid(True, alpha=0.3)
    if len(steps) == 1:
        ax.set_xlim(steps[0] - 1, steps[0] + 1)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="best")


def _draw_epochs(ax, history: Any, records: list[dict[str, Any]], key: str) -> None:
    """Training and validation `key` ("loss" or "accuracy") per epoch, with a marker per epoch."""
    epochs = np.array([r.get("epoch", i + 1) for i, r in enumerate(records)], dtype=np.int64)
    scale = 100.0 if key == "accuracy" else 1.0
    shown = []
    for prefix, name, color in (("train", "training", TRAIN_COLOR), ("val", "validation", VAL_COLOR)):
        values = _column(records, f"{prefix}_{key}") * scale
        if np.isfinite(values).any():
            ax.plot(epochs, values, marker="o", markersize=4 if len(epochs) <= 50 else 0,
                    linewidth=1.8, color=color, label=name, clip_on=False)
            shown.append(values[np.isfinite(values)])
            if len(epochs) == 1:  # a single point: write its value beside the marker
                ax.annotate(f"{values[0]:.2f}%" if key == "accuracy" else f"{values[0]:.3g}",
                            (epochs[0], values[0]), xytext=(8, 0), textcoords="offset points",
                            va="center", color=color, fontsize=9)
    best = getattr(history, "best_epoch", None)
    if best is not None:
        ax.axvline(best, color="0.4", linestyle=":", linewidth=1.2, label=f"best epoch ({best})")
    ax.set_xlabel("epoch")
    ax.set_ylabel("accuracy (%)" if key == "accuracy" else "loss")
    ax.set_title(f"{key.capitalize()} per epoch")
    ax.grid(True, alpha=0.3)
    if len(epochs) <= 2:  # one or two points: room around them, ticks at whole epochs only
        ax.set_xlim(epochs[0] - 0.5, epochs[-1] + 0.5)
        ax.set_xticks(epochs)
    else:
        ax.xaxis.get_major_locator().set_params(integer=True)
    if shown:
        _fit_y(ax, np.concatenate(shown), (0.0, 100.0) if key == "accuracy" else (0.0, None))
    if ax.get_legend_handles_labels()[0]:  # curves rise in accuracy, fall in loss
        where = "lower right" if key == "accuracy" else "upper right"
        ax.legend(loc="center left" if len(epochs) == 1 else where)  # one epoch: left of its points


def _fit_y(ax, values: np.ndarray, bounds: tuple[float | None, float | None]) -> None:
    """y limits around `values` with a margin, never beyond `bounds` (e.g. 0–100 % for accuracy)."""
    lo, hi = float(values.min()), float(values.max())
    if hi == lo:  # one value (one epoch, no validation): from the bound to well above it
        bottom, top = min(0.0, lo), 1.25 * hi if hi > 0 else 1.0
    else:
        margin = 0.08 * (hi - lo)
        bottom, top = lo - margin, hi + margin
    if bounds[0] is not None:
        bottom = max(bottom, bounds[0])
    if bounds[1] is not None:
        top = min(top, bounds[1])
    ax.set_ylim(bottom, top)


def learning_curves_figure(history: Any):
    """The Figure `learning_curves` writes (see there), for a notebook to show or a test to read."""
    records = _records(history)
    if not records:
        raise ValueError(_("the history holds no epoch; train for at least one epoch to plot it"))
    steps, losses, every = _batch_series(history)
    if len(steps):
        fig = _figure(15, 4)
        ax_iter, ax_loss, ax_acc = fig.subplots(1, 3, width_ratios=[1.3, 1, 1])
        _draw_iterations(ax_iter, steps, losses, every)
    else:
        fig = _figure(10, 4)
        ax_loss, ax_acc = fig.subplots(1, 2)
    _draw_epochs(ax_loss, history, records, "loss")
    _draw_epochs(ax_acc, history, records, "accuracy")
    return fig


def learning_curves(history: Any, path: str | Path) -> Path:
    """The training loss per iteration, then loss and accuracy per epoch, training and validation.

    history: a `barenet.nn.training.History` (records with epoch, train_loss, train_accuracy,
    val_loss, val_accuracy; batch_steps, batch_losses, batch_every). The per-iteration panel,
    on the left, shows the loss of every recorded batch faintly and its moving mean; a history
    without batch losses (an older model file) gets the two per-epoch panels only. Validation
    lines are drawn only when the run had a validation set; every epoch has a marker (and, after
    a single epoch, its value written beside it), and the accuracy axis stays within 0–100 %.
    With early stopping the best epoch (whose parameters the model kept) is marked by a dotted
    line. 15 × 4 inches (10 × 4 without the per-iteration panel) at DPI.
    """
    return _save(learning_curves_figure(history), path)


def _tile_grid(n: int) -> tuple[int, int]:
    """(rows, columns) of the squarest grid holding n tiles."""
    cols = math.ceil(math.sqrt(n))
    return math.ceil(n / cols), cols


def first_layer_weights(W: np.ndarray, path: str | Path, max_tiles: int = 64) -> Path:
    """The first Dense layer's weights, one tile per hidden unit, on a shared symmetric scale.

    W: (D, H) with D = side² (784 = 28²). Column h holds the weights from every pixel into unit h,
    so W[:, h].reshape(side, side) is the image that excites unit h most (red: positive weight,
    blue: negative, white: 0). Shows the first min(H, max_tiles) units.
    """
    W = np.asarray(W, dtype=np.float64)
    if W.ndim != 2 or W.shape[1] == 0:
        raise ValueError(_("expected first-layer weights of shape (D, H), got {shape}").format(
                             shape=W.shape))
    side = math.isqrt(W.shape[0])
    if side * side != W.shape[0]:
        raise ValueError(_("{n} inputs are not a square image, so they cannot be drawn as tiles").format(
            n=W.shape[0]))
    n = min(W.shape[1], max_tiles)
    tiles = W[:, :n].T.reshape(n, side, side)  # (D, n) -> (n, side, side)
    limit = float(np.abs(tiles).max()) or 1.0  # symmetric around 0
    rows, cols = _tile_grid(n)
    # One mosaic image, tiles separated by 2-pixel gaps drawn as "bad" (NaN): one imshow is far
    # faster than n small axes. (rows·(side+2)+2, cols·(side+2)+2)
    step = side + 2
    mosaic = np.full((rows * step + 2, cols * step + 2), np.nan)
    for i in range(n):
        r, c = divmod(i, cols)
        top, left = 2 + r * step, 2 + c * step
        mosaic[top : top + side, left : left + side] = tiles[i]
    import matplotlib

    cmap = matplotlib.colormaps[WEIGHTS_CMAP].with_extremes(bad="white")
    size = min(1.1 * cols, 10)
    fig = _figure(size + 1.6, size * rows / cols + 0.8)
    ax = fig.subplots()
    image = ax.imshow(mosaic, cmap=cmap, vmin=-limit, vmax=limit, interpolation="nearest")
    ax.set_axis_off()
    fig.colorbar(image, ax=ax, shrink=0.8, label="weight (red +, blue −)")
    fig.suptitle(f"First-layer weights: {n} of {W.shape[1]} hidden units ({side}×{side} input pixels each)")
    return _save(fig, path)


def _draw_confusion(fig, cm: np.ndarray, class_names: Sequence[str],
                    margins: dict[str, float] | None = None) -> None:
    """A heat map of cm on `fig` (a Figure or SubFigure): counts written, colour = row fraction.

    margins: subplot margins (left, right, top, bottom) when the figure has no layout engine.
    """
    cm = np.asarray(cm)
    k = cm.shape[0]
    totals = cm.sum(axis=1, keepdims=True)  # (K, 1) samples per true class
    fraction = np.divide(cm, totals, out=np.zeros(cm.shape), where=totals != 0)
    ax = fig.subplots(gridspec_kw=margins)
    image = ax.imshow(fraction, cmap=CONFUSION_CMAP, vmin=0, vmax=1)
    fontsize = 9 if k <= 10 else 7 if k <= 20 else 5
    for i in range(k):
        for j in range(k):
            if cm[i, j] or i == j:
                ax.text(j, i, f"{cm[i, j]:d}", ha="center", va="center", fontsize=fontsize,
                        color="white" if fraction[i, j] > 0.5 else "black")
    names = [str(c) for c in class_names] if len(class_names) == k else [str(i) for i in range(k)]
    ax.set_xticks(range(k), names, rotation=45 if max(map(len, names)) > 3 else 0)
    ax.set_yticks(range(k), names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    n = int(cm.sum())
    correct = int(np.trace(cm))
    ax.set_title(f"Confusion matrix: {correct:,} of {n:,} right ({100 * correct / max(n, 1):.2f}%)")
    fig.colorbar(image, ax=ax, shrink=0.8, label="fraction of the true class")


def confusion_matrix(cm: np.ndarray, class_names: Sequence[str], path: str | Path) -> Path:
    """cm: (K, K) counts, rows true, columns predicted, as a heat map with the counts written in."""
    cm = np.asarray(cm)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
        raise ValueError(_("a confusion matrix is square (K, K), got shape {shape}").format(
                             shape=cm.shape))
    side = min(max(4.5, 0.55 * cm.shape[0] + 2.5), 14)
    fig = _figure(side + 1, side)
    _draw_confusion(fig, cm, class_names)
    return _save(fig, path)


def _most_confident_mistakes(true, predicted, confidence, n: int) -> np.ndarray:
    """Indices of up to n wrong predictions, most confident first."""
    wrong = np.flatnonzero(np.asarray(true) != np.asarray(predicted))
    order = np.argsort(-np.asarray(confidence)[wrong], kind="stable")
    return wrong[order[:n]]


def _draw_gallery(fig, images01, true, predicted, confidence, class_names, n: int) -> None:
    """Up to n most confident mistakes on `fig`, each titled 'true → predicted (p)'."""
    images01 = np.asarray(images01, dtype=np.float64)
    images = images01.reshape(len(images01), -1)  # (N, 28, 28) or (N, 784) -> (N, D)
    side = math.isqrt(images.shape[1]) if len(images) else 28
    if len(images) and side * side != images.shape[1]:
        raise ValueError(_("{n} pixels are not a square image").format(n=images.shape[1]))
    chosen = _most_confident_mistakes(true, predicted, confidence, n)
    names = [str(c) for c in class_names]

    def name(label) -> str:
        return names[int(label)] if 0 <= int(label) < len(names) else str(int(label))

    wrong = int(np.sum(np.asarray(true) != np.asarray(predicted)))
    if len(chosen) == 0:
        ax = fig.subplots()
        ax.set_axis_off()
        ax.text(0.5, 0.5, f"no mistakes among {len(images):,} images", ha="center", va="center",
                fontsize=12)
        fig.suptitle("Most confident mistakes")
        return
    rows, cols = _tile_grid(len(chosen))
    # Placed by hand (no layout engine): constrained layout costs seconds for 25 small axes.
    # Margins in inches -> fractions of this (sub)figure; each tile has two title lines above it.
    height = fig.bbox.height / fig.dpi
    axes = fig.subplots(rows, cols, squeeze=False, gridspec_kw={
        "left": 0.02, "right": 0.98, "bottom": 0.1 / height, "top": 1 - 0.95 / height,
        "wspace": 0.25, "hspace": 0.55}).ravel()
    longest = max(len(name(label)) for label in [*np.asarray(true)[chosen], *np.asarray(predicted)[chosen]])
    sep, fontsize = (" ", 9) if longest <= 4 else ("\n", 8)  # long class names: two lines
    for ax, index in zip(axes, list(chosen) + [None] * (len(axes) - len(chosen)), strict=True):
        if index is None:
            ax.set_axis_off()
            continue
        ax.imshow(images[index].reshape(side, side), cmap="gray_r", vmin=0, vmax=1,
                  interpolation="nearest")  # (D,) -> (side, side); ink dark on white
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():  # a light frame shows the 28×28 box
            spine.set_color("0.75")
        ax.set_title(f"{name(true[index])} →{sep}{name(predicted[index])} ({confidence[index]:.2f})",
                     fontsize=fontsize, color="#b00000", linespacing=1.1)
    fig.suptitle(f"The {len(chosen)} most confident of {wrong:,} mistakes\n"
                 "true → predicted (probability)", fontsize=11)


def mistakes_gallery(images01: np.ndarray, true: np.ndarray, predicted: np.ndarray,
                     confidence: np.ndarray, class_names: Sequence[str], path: str | Path,
                     n: int = 25) -> Path:
    """The n wrong predictions made with the highest confidence, as images.

    images01: (N, 28, 28) or (N, 784) raw pixels in [0, 1] (not the normalised model inputs);
    true, predicted: (N,) labels; confidence: (N,) the probability of the predicted class.
    The mistakes are chosen here: pass every sample, right or wrong.
    """
    rows, cols = _tile_grid(max(1, min(n, int(np.sum(np.asarray(true) != np.asarray(predicted))))))
    fig = _figure(max(4.5, 1.5 * cols), 1.75 * rows + 1.0, layout=None)
    _draw_gallery(fig, images01, true, predicted, confidence, class_names, n)
    return _save(fig, path)


def evaluation(cm: np.ndarray, class_names: Sequence[str], images01: np.ndarray, true: np.ndarray,
               predicted: np.ndarray, confidence: np.ndarray, path: str | Path, n: int = 25) -> Path:
    """One figure: the confusion matrix (left) and the most confident mistakes (right)."""
    fig = _figure(15, 7, layout=None)
    left, right = fig.subfigures(1, 2, width_ratios=[1, 1.05])
    longest = max((len(str(c)) for c in class_names), default=1)  # room for the tick labels
    _draw_confusion(left, np.asarray(cm), class_names,
                    {"left": min(0.3, 0.07 + 0.013 * longest), "right": 0.97,
                     "bottom": min(0.3, 0.1 + 0.012 * longest), "top": 0.92})
    _draw_gallery(right, images01, true, predicted, confidence, class_names, n)
    return _save(fig, path)


def _mosaic(images: np.ndarray, gap: int = 2) -> np.ndarray:
    """(rows, cols, h, w) images -> one (rows·(h+gap)+gap, cols·(w+gap)+gap) array, gaps NaN."""
    rows, cols, h, w = images.shape
    mosaic = np.full((rows * (h + gap) + gap, cols * (w + gap) + gap), np.nan)
    for r in range(rows):
        for c in range(cols):
            top, left = gap + r * (h + gap), gap + c * (w + gap)
            mosaic[top : top + h, left : left + w] = images[r, c]
    return mosaic


def augmented_digits(originals01: np.ndarray, groups: dict[str, np.ndarray], path: str | Path) -> Path:
    """Each original digit, then its augmented variants, one panel per group of variants.

    originals01: (n, 28, 28) or (n, 784) pixels in [0, 1]; groups: title -> (n, k, 28, 28) or
    (n, k, 784) variants of each original. Ink is drawn dark on white, as on paper.
    """
    import matplotlib

    originals = np.asarray(originals01, dtype=np.float64)
    n = len(originals)
    side = math.isqrt(originals.reshape(n, -1).shape[1])
    panels = {"original": originals.reshape(n, 1, side, side)}
    for title, variants in groups.items():
        variants = np.asarray(variants, dtype=np.float64)
        if len(variants) != n:
            raise ValueError(_("{title}: {n_variants} rows of variants for {n} originals").format(
                                 title=title, n_variants=len(variants), n=n))
        panels[title] = variants.reshape(n, -1, side, side)
    cmap = matplotlib.colormaps["gray_r"].with_extremes(bad="white")
    widths = [p.shape[1] for p in panels.values()]
    tile = 0.62  # inches per digit
    fig = _figure(tile * sum(widths) + 0.3 * len(widths), tile * n + 0.5)
    axes = fig.subplots(1, len(panels), gridspec_kw={"width_ratios": widths})
    for ax, (title, images) in zip(np.atleast_1d(axes), panels.items(), strict=True):
        ax.imshow(_mosaic(images), cmap=cmap, vmin=0, vmax=1, interpolation="nearest")
        ax.set_title(title, fontsize=9)
        ax.set_axis_off()
    return _save(fig, path)
