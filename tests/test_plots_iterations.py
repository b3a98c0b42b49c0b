"""The learning curves per iteration: a faint line of every recorded batch, its moving mean, beside
the per-epoch panels; short runs (1 or 2 epochs, a few batches) still draw a figure worth reading."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from barenet.cli import main
from barenet.experiment import plots
from barenet.nn.training import History
from barenet.saving import modelfile


def records(n: int, accuracy: float = 0.9, validation: bool = True) -> list[dict]:
    return [{"epoch": e, "train_loss": 1.0 / e, "train_accuracy": min(1.0, accuracy + 0.05 * (e - 1)),
             "val_loss": 1.1 / e if validation else None,
             "val_accuracy": min(1.0, accuracy + 0.04 * (e - 1)) if validation else None,
             "lr": 1e-3, "seconds": 1.0} for e in range(1, n + 1)]


def batches(n: int, every: int = 1, seed: int = 0) -> dict:
    """Noisy losses falling from about 2.3 to 0.01 over n recorded batches."""
    rng = np.random.default_rng(seed)
    steps = np.arange(n) * every
    losses = 2.3 * np.exp(-5.4 * np.arange(n) / n) * rng.uniform(0.5, 1.5, n)
    return {"batch_steps": steps.tolist(), "batch_losses": losses.tolist(), "batch_every": every}


def test_moving_mean_by_hand():
    np.testing.assert_allclose(plots.moving_mean(np.array([1.0, 2.0, 3.0, 4.0]), 2), [1.5, 2.5, 3.5])
    np.testing.assert_allclose(plots.moving_mean(np.array([1.0, 5.0, 3.0]), 3), [3.0])
    np.testing.assert_array_equal(plots.moving_mean(np.arange(4.0), 1), np.arange(4.0))


def test_iteration_panel_faint_batches_and_their_mean():
    history = History(records(3), **batches(1200))
    fig = plots.learning_curves_figure(history)
    assert fig.get_size_inches().tolist() == [15, 4]
    ax_iter, ax_loss, _ = fig.axes
    assert ax_iter.get_xlabel() == "iteration (batch)" and ax_loss.get_xlabel() == "epoch"
    raw, smooth = ax_iter.get_lines()
    assert raw.get_alpha() < 0.5 and smooth.get_alpha() is None  # faint batches, solid mean
    window = plots.smoothing_window(1200)
    assert window == 30 and smooth.get_label() == "mean of 30 batches"
    np.testing.assert_allclose(smooth.get_ydata(), plots.moving_mean(np.array(history.batch_losses), 30))
    x = smooth.get_xdata()
    assert x[0] == 15 and len(x) == 1200 - 29  # each mean drawn at the centre of its window
    assert ax_iter.get_yscale() == "log"  # the losses span more than two decades


def test_thinned_history_says_which_batches(tmp_path):
    fig = plots.learning_curves_figure(History(records(20), **batches(5000, every=4)))
    raw, smooth = fig.axes[0].get_lines()
    assert raw.get_label() == "every 4th batch"
    assert smooth.get_label() == f"mean of {plots.smoothing_window(5000) * 4:,} batches"
    assert raw.get_xdata()[-1] == 4 * 4999


@pytest.mark.parametrize("epochs", [1, 2])
def test_one_or_two_epochs_give_a_readable_figure(epochs):
    history = History(records(epochs, accuracy=0.97), **batches(430 * epochs))
    fig = plots.learning_curves_figure(history)
    _, ax_loss, ax_acc = fig.axes
    for ax in (ax_loss, ax_acc):
        assert [t for t in ax.get_xticks()] == list(range(1, epochs + 1))  # whole epochs only
        lo, hi = ax.get_xlim()
        assert lo == 0.5 and hi == epochs + 0.5
        for line in ax.get_lines():
            if line.get_label() in ("training", "validation"):
                assert line.get_marker() == "o" and line.get_markersize() > 0
        assert len(ax.texts) == (2 if epochs == 1 else 0)  # a lone point has its value beside it
    bottom, top = ax_acc.get_ylim()
    assert 0 <= bottom < 97 < top <= 100


def test_accuracy_axis_never_runs_past_100_percent():
    history = History(records(5, accuracy=0.99), **batches(500))
    bottom, top = plots.learning_curves_figure(history).axes[2].get_ylim()
    assert top == 100 and bottom >= 0
    single = History(records(1, accuracy=0.5, validation=False), **batches(15))
    _, ax_loss, ax_acc = plots.learning_curves_figure(single).axes
    assert ax_acc.get_ylim() == (0.0, 62.5)  # one value: from 0 to a quarter above it
    assert ax_loss.get_ylim()[0] == 0.0


def test_a_few_batches_are_a_line_with_markers():
    fig = plots.learning_curves_figure(History(records(1), **batches(15)))
    (raw,) = fig.axes[0].get_lines()  # too few to smooth: the raw line is the curve
    assert raw.get_marker() == "o" and raw.get_alpha() is None  # drawn solid
    assert raw.get_label() == "each batch"


def test_history_without_batch_losses_keeps_two_panels():
    fig = plots.learning_curves_figure(History(records(4)))
    assert fig.get_size_inches().tolist() == [10, 4] and len(fig.axes) == 2


def test_mismatched_batch_lists_are_refused():
    with pytest.raises(ValueError, match="3 batch steps but 2 batch losses"):
        plots.learning_curves_figure(History(records(1), batch_steps=[0, 1, 2], batch_losses=[1.0, 2.0]))


def test_train_and_plot_draw_the_iterations(tmp_path, mnist_slice_dir, capsys):
    """The end-of-training figure and `barenet plot` both have the per-iteration panel."""
    out = tmp_path / "run" / "model.safetensors"
    assert main(["train", "--data-dir", str(mnist_slice_dir), "--hidden", "16", "--epochs", "1",
                 "--val-size", "500", "--batch-size", "100", "--quiet", "--out", str(out)]) == 0
    trained = modelfile.load(out)
    assert trained.history.batch_steps == list(range(25))  # 2500 images / 100 per batch
    curves = out.with_name("model-curves.png")
    with Image.open(curves) as image:
        assert image.size == (15 * plots.DPI, 4 * plots.DPI)
    again = tmp_path / "again-curves.png"
    assert main(["plot", str(out), "--curves", str(again)]) == 0
    with Image.open(again) as image:
        assert image.size == (15 * plots.DPI, 4 * plots.DPI)
    capsys.readouterr()
