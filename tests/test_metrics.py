"""barenet.experiment.metrics: a hand-worked case, agreement with scikit-learn, and division by zero."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import metrics as skm

from barenet.experiment import metrics


def test_hand_worked_three_classes():
    # true:  0 0 0 1 1 2
    # pred:  0 0 1 1 2 2
    # C = [[2, 1, 0],      class 0: 2 right, 1 called "1"
    #      [0, 1, 1],      class 1: 1 right, 1 called "2"
    #      [0, 0, 1]]      class 2: 1 right
    y = np.array([0, 0, 0, 1, 1, 2])
    p = np.array([0, 0, 1, 1, 2, 2])
    cm = metrics.confusion_matrix(y, p)
    np.testing.assert_array_equal(cm, [[2, 1, 0], [0, 1, 1], [0, 0, 1]])
    assert metrics.accuracy(y, p) == pytest.approx(4 / 6)
    s = metrics.per_class(cm)
    # precision = diag / column sums = 2/2, 1/2, 1/2; recall = diag / row sums = 2/3, 1/2, 1/1
    np.testing.assert_allclose(s["precision"], [1, 0.5, 0.5])
    np.testing.assert_allclose(s["recall"], [2 / 3, 0.5, 1])
    # F1 = 2PR/(P+R): 2·1·(2/3)/(5/3) = 0.8; 0.5; 2·0.5·1/1.5 = 2/3
    np.testing.assert_allclose(s["f1"], [0.8, 0.5, 2 / 3])
    np.testing.assert_array_equal(s["support"], [3, 2, 1])
    macro = metrics.macro_average(s)
    assert macro["precision"] == pytest.approx(2 / 3)
    assert macro["f1"] == pytest.approx((0.8 + 0.5 + 2 / 3) / 3)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_agrees_with_sklearn(seed):
    rng = np.random.default_rng(seed)
    k = 7
    y = rng.integers(0, k, 500)
    p = np.where(rng.random(500) < 0.6, y, rng.integers(0, k, 500))
    report = metrics.classification_report(y, p, k)
    labels = list(range(k))
    np.testing.assert_array_equal(report["confusion_matrix"], skm.confusion_matrix(y, p, labels=labels))
    precision, recall, f1, support = skm.precision_recall_fscore_support(
        y, p, labels=labels, zero_division=0)
    s = report["per_class"]
    np.testing.assert_allclose(s["precision"], precision)
    np.testing.assert_allclose(s["recall"], recall)
    np.testing.assert_allclose(s["f1"], f1)
    np.testing.assert_array_equal(s["support"], support)
    assert report["accuracy"] == pytest.approx(skm.accuracy_score(y, p))
    mp, mr, mf, _ = skm.precision_recall_fscore_support(y, p, labels=labels, average="macro",
                                                        zero_division=0)
    assert report["macro"] == pytest.approx({"precision": mp, "recall": mr, "f1": mf})


def test_zero_division_is_zero_without_warning():
    # Class 2 is never present and never predicted; class 1 is present but never predicted.
    y = np.array([0, 0, 1, 1])
    p = np.array([0, 0, 0, 0])
    report = metrics.classification_report(y, p, n_classes=3)  # warnings are errors in pytest
    s = report["per_class"]
    np.testing.assert_allclose(s["precision"], [0.5, 0, 0])
    np.testing.assert_allclose(s["recall"], [1, 0, 0])
    np.testing.assert_allclose(s["f1"], [2 / 3, 0, 0])
    np.testing.assert_array_equal(s["support"], [2, 2, 0])
    assert np.isfinite(report["macro"]["f1"])
    _, _, skf, _ = skm.precision_recall_fscore_support(y, p, labels=[0, 1, 2], zero_division=0)
    np.testing.assert_allclose(s["f1"], skf)


def test_confusion_matrix_shape_and_errors():
    cm = metrics.confusion_matrix(np.array([1]), np.array([1]), n_classes=4)
    assert cm.shape == (4, 4) and cm.sum() == 1 and cm[1, 1] == 1
    assert metrics.confusion_matrix(np.array([], dtype=int), np.array([], dtype=int), 2).sum() == 0
    with pytest.raises(ValueError, match="outside"):
        metrics.confusion_matrix(np.array([0, 3]), np.array([0, 1]), n_classes=2)
    with pytest.raises(ValueError, match="predictions"):
        metrics.confusion_matrix(np.array([0, 1]), np.array([0]))
    with pytest.raises(ValueError, match="integer"):
        metrics.accuracy(np.array([0.5]), np.array([0]))
    with pytest.raises(ValueError, match="empty"):
        metrics.accuracy(np.array([], dtype=int), np.array([], dtype=int))
    with pytest.raises(ValueError, match="square"):
        metrics.per_class(np.zeros((2, 3)))
