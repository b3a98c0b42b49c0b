"""barenet.experiment.plots: every figure is a real PNG of the right size, with the content it promises."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest
from PIL import Image

from barenet.experiment import plots
from barenet.nn.training import History


def records(n: int, validation: bool = True) -> list[dict]:
    return [
        {"epoch": e, "train_loss": 1.0 / e, "train_accuracy": 0.8 + 0.01 * e,
         "val_loss": 1.2 / e if validation else None,
         "val_accuracy": 0.78 + 0.01 * e if validation else None, "lr": 1e-3, "seconds": 1.5}
        for e in range(1, n + 1)
    ]


def pixels(path) -> np.ndarray:
    """The PNG as an (H, W, 3) uint8 array."""
    with Image.open(path) as image:
        assert image.format == "PNG"
        return np.asarray(image.convert("RGB"))


def hex_rgb(color: str) -> np.ndarray:
    return np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)])


def count_near(rgb: np.ndarray, color, tolerance: int = 12) -> int:
    """How many pixels lie within `tolerance` (per channel) of `color`."""
    target = hex_rgb(color) if isinstance(color, str) else np.asarray(color)
    return int((np.abs(rgb.astype(int) - target).max(axis=2) <= tolerance).sum())


def distinct_colors(rgb: np.ndarray) -> int:
    return len(np.unique(rgb.reshape(-1, 3), axis=0))


def assert_real_figure(rgb: np.ndarray, min_colors: int = 50) -> None:
    white = (rgb == 255).all(axis=2).mean()
    assert white < 0.98, f"the figure is {white:.1%} white"
    assert distinct_colors(rgb) > min_colors
    assert count_near(rgb, (0, 0, 0), 60) > 200  # text and axes


def test_learning_curves_two_panels_with_both_curves(tmp_path):
    path = plots.learning_curves(History(records(12), best_epoch=9), tmp_path / "run-curves.png")
    assert path == tmp_path / "run-curves.png"
    rgb = pixels(path)
    assert rgb.shape == (4 * plots.DPI, 10 * plots.DPI, 3)  # 10 × 4 inches
    assert_real_figure(rgb)
    # training (blue) and validation (orange) lines in both panels
    left, right = rgb[:, : rgb.shape[1] // 2], rgb[:, rgb.shape[1] // 2 :]
    for half in (left, right):
        assert count_near(half, plots.TRAIN_COLOR) > 300
        assert count_near(half, plots.VAL_COLOR) > 300
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary file left behind


def test_learning_curves_one_epoch_still_shows_markers(tmp_path):
    rgb = pixels(plots.learning_curves(History(records(1)), tmp_path / "one.png"))
    assert_real_figure(rgb)
    # one epoch: no line, but a marker per series and panel (a disc of ~4 px radius, plus legend)
    assert count_near(rgb, plots.TRAIN_COLOR) > 60
    assert count_near(rgb, plots.VAL_COLOR) > 60


def test_learning_curves_without_validation_has_no_validation_line(tmp_path):
    rgb = pixels(plots.learning_curves(History(records(5, validation=False)), tmp_path / "c.png"))
    assert count_near(rgb, plots.TRAIN_COLOR) > 300
    assert count_near(rgb, plots.VAL_COLOR, 6) == 0


def test_learning_curves_accepts_a_record_list_and_refuses_an_empty_history(tmp_path):
    assert plots.learning_curves(records(3), tmp_path / "list.png").stat().st_size > 1000
    with pytest.raises(ValueError, match="no epoch"):
        plots.learning_curves(History(), tmp_path / "empty.png")


def test_first_layer_weights_tiles_on_a_diverging_scale(tmp_path):
    rng = np.random.default_rng(0)
    W = rng.normal(0, 0.05, size=(784, 100)).astype(np.float32)
    path = plots.first_layer_weights(W, tmp_path / "deep" / "dir" / "w.png", max_tiles=64)
    rgb = pixels(path)  # parent directories were created
    h, w, _ = rgb.shape
    assert 600 < w <= 1500 and 600 < h <= 1500
    assert_real_figure(rgb, min_colors=200)
    reds = ((rgb[..., 0] > 180) & (rgb[..., 2] < 120)).sum()
    blues = ((rgb[..., 2] > 180) & (rgb[..., 0] < 120)).sum()
    assert reds > 2000 and blues > 2000  # positive and negative weights, symmetric colour map


def test_first_layer_weights_few_units_and_bad_shapes(tmp_path):
    W = np.linspace(-1, 1, 784 * 3).reshape(784, 3)
    assert_real_figure(pixels(plots.first_layer_weights(W, tmp_path / "three.png")))
    with pytest.raises(ValueError, match="not a square image"):
        plots.first_layer_weights(np.zeros((10, 4)), tmp_path / "x.png")
    with pytest.raises(ValueError, match=r"\(D, H\)"):
        plots.first_layer_weights(np.zeros(784), tmp_path / "x.png")


def test_confusion_matrix_heat_map(tmp_path):
    cm = np.array([[50, 2, 0], [5, 40, 5], [0, 0, 48]])
    rgb = pixels(plots.confusion_matrix(cm, ["zero", "one", "two"], tmp_path / "cm.png"))
    assert_real_figure(rgb)
    dark_blue = ((rgb[..., 2] > 80) & (rgb[..., 0] < 40) & (rgb[..., 1] < 90)).sum()
    assert dark_blue > 3000  # the three diagonal cells at ≥ 80 % of their row
    with pytest.raises(ValueError, match="square"):
        plots.confusion_matrix(np.zeros((2, 3)), ["a", "b"], tmp_path / "bad.png")


def synthetic_mistakes(n=200, k=10, seed=0):
    rng = np.random.default_rng(seed)
    images = np.zeros((n, 28, 28))
    images[:, 8:20, 12:16] = 1.0  # a bar of ink in every image
    true = rng.integers(0, k, n)
    predicted = np.where(rng.random(n) < 0.8, true, (true + 1) % k)
    confidence = rng.random(n)
    return images, true, predicted, confidence


def test_mistakes_gallery_shows_the_most_confident_mistakes(tmp_path):
    images, true, predicted, confidence = synthetic_mistakes()
    wrong = np.flatnonzero(true != predicted)
    assert len(wrong) > 25
    chosen = plots._most_confident_mistakes(true, predicted, confidence, 25)
    assert len(chosen) == 25 and set(chosen) <= set(wrong)
    assert confidence[chosen].min() >= np.sort(confidence[wrong])[-25]  # the 25 most confident
    assert (np.diff(confidence[chosen]) <= 0).all()
    names = [str(i) for i in range(10)]
    rgb = pixels(plots.mistakes_gallery(images, true, predicted, confidence, names, tmp_path / "g.png"))
    assert_real_figure(rgb, min_colors=20)
    ink = (rgb.max(axis=2) < 40).sum()
    assert ink > 25 * 100  # 25 dark ink bars
    assert count_near(rgb, (0xB0, 0, 0), 40) > 100  # red titles "true → predicted (p)"


def test_mistakes_gallery_without_mistakes(tmp_path):
    images, true, _, confidence = synthetic_mistakes(30)
    path = plots.mistakes_gallery(images.reshape(30, -1), true, true, confidence, [], tmp_path / "n.png")
    rgb = pixels(path)
    assert (rgb == 255).all(axis=2).mean() < 0.999  # a note, not an empty canvas


def test_evaluation_figure_combines_both(tmp_path):
    images, true, predicted, confidence = synthetic_mistakes()
    from barenet.experiment.metrics import confusion_matrix

    cm = confusion_matrix(true, predicted, 10)
    rgb = pixels(plots.evaluation(cm, [str(i) for i in range(10)], images, true, predicted, confidence,
                                  tmp_path / "eval.png"))
    assert rgb.shape == (7 * plots.DPI, 15 * plots.DPI, 3)
    left, right = rgb[:, : rgb.shape[1] // 2], rgb[:, rgb.shape[1] // 2 :]
    assert ((left[..., 2] > 80) & (left[..., 0] < 40)).sum() > 3000  # heat map on the left
    assert (right.max(axis=2) < 40).sum() > 25 * 100  # ink of the gallery on the right


def test_plots_leave_pyplot_alone(tmp_path):
    # A fresh interpreter: plotting must neither import pyplot nor open a window.
    code = textwrap.dedent(f"""
        import sys
        from barenet.experiment import plots
        assert "matplotlib" not in sys.modules  # imported lazily
        plots.learning_curves([{{"epoch": 1, "train_loss": 1.0, "train_accuracy": 0.5}}],
                              {str(tmp_path / "c.png")!r})
        assert "matplotlib.pyplot" not in sys.modules
    """)
    subprocess.run([sys.executable, "-W", "error", "-c", code], check=True)
