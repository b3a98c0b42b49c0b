"""Classification scores from true and predicted labels, in NumPy alone.

    accuracy(y, ŷ)                  fraction of rows with ŷ = y
    confusion_matrix(y, ŷ, K)       C[i, j] = #{n : y_n = i, ŷ_n = j}   rows true, columns predicted
    per_class(C)                    precision, recall, F1 and support of every class, from C
    macro_average(scores)           the unweighted mean of each score over the classes
    classification_report(y, ŷ, K)  all of the above in one dict

From the confusion matrix C (K × K):

    support_k   = Σ_j C[k, j]              how many samples truly are class k (row sum)
    predicted_k = Σ_i C[i, k]              how many were predicted as class k (column sum)
    precision_k = C[k, k] / predicted_k    of those called k, the fraction that are k
    recall_k    = C[k, k] / support_k      of the k's, the fraction found
    F1_k        = 2 P R / (P + R)          their harmonic mean

A ratio whose denominator is 0 (a class never predicted, never present, or P = R = 0) is defined
as 0, as scikit-learn's `zero_division=0`; it is computed without dividing by zero, so NumPy never
warns.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from barenet.i18n import _


def _labels(y: np.ndarray, name: str) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(_("{name} must be a 1-D array of class labels, got shape {shape}").format(
                             name=name, shape=y.shape))
    if y.size and (y.dtype.kind not in "iub" or y.min() < 0):
        raise ValueError(_("{name} must hold non-negative integer class labels").format(
                             name=name))
    return y.astype(np.int64, copy=False)


def accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Fraction of correct predictions: (1/N) Σ_n [ŷ_n = y_n]. y_true, y_pred: (N,) labels."""
    y_true, y_pred = _labels(y_true, "y_true"), _labels(y_pred, "y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(_("{n_true} true labels but {n_pred} predictions").format(
                             n_true=len(y_true), n_pred=len(y_pred)))
    if y_true.size == 0:
        raise ValueError(_("accuracy of an empty set is undefined"))
    return float(np.mean(y_true == y_pred))


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, n_classes: int | None = None) -> np.ndarray:
    """C: (K, K) int64 counts, C[i, j] = samples of true class i predicted as class j.

    n_classes: K; default 1 + the largest label seen. Labels must lie in 0..K−1.
    """
    y_true, y_pred = _labels(y_true, "y_true"), _labels(y_pred, "y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(_("{n_true} true labels but {n_pred} predictions").format(
                             n_true=len(y_true), n_pred=len(y_pred)))
    seen = int(max(y_true.max(initial=-1), y_pred.max(initial=-1))) + 1
    k = seen if n_classes is None else int(n_classes)
    if seen > k:
        raise ValueError(_("label {label} is outside 0..{top} for {k} classes").format(
                             label=seen - 1, top=k - 1, k=k))
    # Each pair (i, j) is one cell i·K + j of the flattened matrix: count them all at once.
    return np.bincount(y_true * k + y_pred, minlength=k * k).reshape(k, k)  # (K·K,) -> (K, K)


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator elementwise, 0 where the denominator is 0 (no warning)."""
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    out = np.zeros(np.broadcast(numerator, denominator).shape)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def per_class(cm: np.ndarray) -> dict[str, np.ndarray]:
    """Scores of each class from a confusion matrix C (K, K), rows true, columns predicted.

    Returns {"precision", "recall", "f1": (K,) float64, "support": (K,) int64}.
    """
    cm = np.asarray(cm)
    if cm.ndim != 2 or cm.shape[0] != cm.shape[1]:
        raise ValueError(_("a confusion matrix is square (K, K), got shape {shape}").format(
                             shape=cm.shape))
    hits = np.diag(cm)  # (K,) C[k, k]
    support = cm.sum(axis=1)  # row sums: true class k
    predicted = cm.sum(axis=0)  # column sums: predicted as k
    precision = _ratio(hits, predicted)
    recall = _ratio(hits, support)
    f1 = _ratio(2 * precision * recall, precision + recall)
    return {"precision": precision, "recall": recall, "f1": f1, "support": support.astype(np.int64)}


def macro_average(scores: dict[str, np.ndarray]) -> dict[str, float]:
    """The unweighted mean over classes of precision, recall and F1 (every class counts once).

    Like scikit-learn's average="macro", classes absent from both the labels and the predictions
    still count (with scores 0) when they are part of the confusion matrix.
    """
    return {key: float(np.mean(scores[key])) if len(scores[key]) else 0.0
            for key in ("precision", "recall", "f1")}


def classification_report(y_true: np.ndarray, y_pred: np.ndarray,
                          n_classes: int | None = None) -> dict[str, Any]:
    """accuracy, confusion_matrix (K, K), per_class scores and their macro averages, in one dict."""
    cm = confusion_matrix(y_true, y_pred, n_classes)
    scores = per_class(cm)
    return {"accuracy": accuracy(y_true, y_pred), "confusion_matrix": cm, "per_class": scores,
            "macro": macro_average(scores)}
