"""`barenet info` and `barenet plot`: what a model file holds, and its figures as real PNGs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from barenet.cli import main
from barenet.experiment import plots
from barenet.nn import Dense, ReLU, Sequential
from barenet.nn.training import History
from barenet.saving import modelfile
from model_fixtures import bad_model_files, train_tiny

HISTORY_KEYS = {"epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr", "seconds"}


@pytest.fixture(scope="module")
def model_path(tmp_path_factory, mnist_slice_dir):
    """A 784-32-10 network trained for 2 epochs on the MNIST slice."""
    path = tmp_path_factory.mktemp("info") / "tiny.safetensors"
    train_tiny(path, mnist_slice_dir, epochs=2, seed=7)
    return path


def square_free_model(path, history: History) -> None:
    """A 50-input network (not an image) saved with `history`."""
    rng = np.random.default_rng(0)
    model = Sequential([Dense(50, 8, rng=rng), ReLU(), Dense(8, 3, rng=rng)], output_activation="softmax")
    # (class names chosen so that no header length starts with the bytes 0x80 0x02..0x05, which
    # modelfile.sniff takes for a pickle's opening)
    modelfile.save(path, modelfile.TrainedModel(model=model, class_names=["cat", "dog", "emu"],
                                                history=history))


def test_info_text(model_path, capsys):
    assert main(["info", str(model_path)]) == 0
    out = capsys.readouterr().out
    trained = modelfile.load(model_path)
    assert trained.model.summary() in out
    assert "784-32(relu)-10, 25,450 parameters" in out
    assert "written by barenet 0.1.0" in out
    for expected in ("dataset        mnist, classes all 10", "hidden         32  activation relu",
                     "optimiser      adam", "learning rate  0.003, schedule constant",
                     "batch size     128", "epochs         2 of 2", "seed           7", "dropout        0.0",
                     "normalisation  none"):
        assert expected in out, expected
    digest = trained.dataset["sha256"]["train-images-idx3-ubyte"][:12]
    assert f"{digest}…  train-images-idx3-ubyte" in out
    assert f"test accuracy  {trained.metrics['test_accuracy']:.2%}" in out
    assert f"val accuracy   {trained.history.records[-1]['val_accuracy']:.2%} (epoch 2)" in out
    assert out.count("\n") < 60


def test_info_json(model_path, capsys):
    assert main(["info", str(model_path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)  # one JSON object
    trained = modelfile.load(model_path)
    assert len(info["history"]) == 2 == info["epochs_run"]
    for record, expected in zip(info["history"], trained.history.records, strict=True):
        assert HISTORY_KEYS <= set(record)
        assert record == pytest.approx(expected)
    assert info["architecture"]["description"] == "784-32(relu)-10"
    assert info["architecture"]["layers"] == trained.model.to_config()["layers"]
    assert info["parameters"] == trained.model.parameter_count() == 784 * 32 + 32 + 32 * 10 + 10
    assert info["config"] == trained.config and info["config"]["seed"] == 7
    assert info["metrics"] == pytest.approx(trained.metrics)
    assert info["class_names"] == [str(d) for d in range(10)]
    assert info["dataset"]["name"] == "mnist" and len(info["dataset"]["sha256"]) == 4
    assert info["normalization"] is None
    assert info["barenet_version"] == "0.1.0"
    assert info["final"]["test_accuracy"] == trained.metrics["test_accuracy"]


@pytest.mark.parametrize("command", ["info", "plot"])
@pytest.mark.parametrize("kind", ["missing", "pickle", "random", "empty"])
def test_bad_model_files_are_one_line_errors(tmp_path, command, kind, capsys):
    path = bad_model_files(tmp_path)[kind]
    assert main([command, str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("barenet: error: ") and err.count("\n") == 1
    assert str(path) in err and "Traceback" not in err
    assert not list(tmp_path.glob("*.png"))


def test_info_on_random_bytes_in_a_fresh_process(tmp_path):
    path = bad_model_files(tmp_path)["random"]
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    done = subprocess.run([sys.executable, "-m", "barenet", "info", str(path)], capture_output=True,
                          text=True, env=env, timeout=60)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("barenet: error: ") and done.stderr.count("\n") == 1
    assert "bad.bin" in done.stderr and "Traceback" not in done.stderr


def pixels(path) -> np.ndarray:
    with Image.open(path) as image:
        assert image.format == "PNG"
        return np.asarray(image.convert("RGB"))


def near(rgb: np.ndarray, color: str, tolerance: int = 12) -> int:
    target = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(rgb.astype(int) - target).max(axis=2) <= tolerance).sum())


def test_plot_defaults_next_to_the_model(model_path, tmp_path, capsys):
    model = tmp_path / "run" / "mnist.safetensors"
    model.parent.mkdir()
    shutil.copy(model_path, model)
    assert main(["plot", str(model)]) == 0
    out = capsys.readouterr().out
    curves, weights = tmp_path / "run" / "mnist-curves.png", tmp_path / "run" / "mnist-weights.png"
    assert f"curves:  {curves}" in out and f"weights: {weights}" in out

    rgb = pixels(curves)
    # the model records its batch losses: loss per iteration, then loss and accuracy per epoch
    assert rgb.shape == (4 * plots.DPI, 15 * plots.DPI, 3)
    assert len(np.unique(rgb.reshape(-1, 3), axis=0)) > 50
    assert near(rgb[:, :720], plots.TRAIN_COLOR) > 100  # the iterations: training only
    for panel in (rgb[:, 760:1250], rgb[:, 1310:]):  # loss panel, accuracy panel
        assert near(panel, plots.TRAIN_COLOR) > 100 and near(panel, plots.VAL_COLOR) > 100

    rgb = pixels(weights)
    assert min(rgb.shape[:2]) > 400
    reds = ((rgb[..., 0] > 180) & (rgb[..., 2] < 120)).sum()
    blues = ((rgb[..., 2] > 180) & (rgb[..., 0] < 120)).sum()
    assert reds > 1000 and blues > 1000  # 32 tiles of positive and negative weights


def test_plot_out_prefix_and_single_figures(model_path, tmp_path, capsys):
    assert main(["plot", str(model_path), "--out", str(tmp_path / "figs" / "tiny")]) == 0
    assert {p.name for p in (tmp_path / "figs").iterdir()} == {"tiny-curves.png", "tiny-weights.png"}
    capsys.readouterr()
    only = tmp_path / "only" / "c.png"
    assert main(["plot", str(model_path), "--curves", str(only)]) == 0
    out = capsys.readouterr().out
    assert out.strip() == f"curves: {only}"
    assert [p.name for p in only.parent.iterdir()] == ["c.png"]


def test_plot_one_epoch(tmp_path, mnist_slice_dir, capsys):
    path = tmp_path / "one.safetensors"
    train_tiny(path, mnist_slice_dir, epochs=1)
    assert main(["plot", str(path), "--curves", str(tmp_path / "c.png")]) == 0
    rgb = pixels(tmp_path / "c.png")
    assert near(rgb, plots.TRAIN_COLOR) > 60 and near(rgb, plots.VAL_COLOR) > 60  # markers


def test_plot_skips_weights_of_non_image_inputs(tmp_path, capsys):
    path = tmp_path / "tab.safetensors"
    record = {"epoch": 1, "train_loss": 1.0, "train_accuracy": 0.5, "val_loss": None,
              "val_accuracy": None, "lr": 0.1, "seconds": 0.1}
    square_free_model(path, History([record, {**record, "epoch": 2, "train_loss": 0.5}]))
    assert main(["plot", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "not a square image" in err and "weights figure skipped" in err
    assert (tmp_path / "tab-curves.png").exists() and not (tmp_path / "tab-weights.png").exists()
    assert "weights:" not in out

    square_free_model(path, History())  # nothing at all to draw
    assert main(["plot", str(path)]) == 1
    _, err = capsys.readouterr()
    assert "barenet: error: " in err and "nothing to plot" in err


def test_info_of_a_model_without_training_record(tmp_path, capsys):
    path = tmp_path / "bare.safetensors"
    square_free_model(path, History())
    assert main(["info", str(path)]) == 0
    out = capsys.readouterr().out
    assert "50-8(relu)-3" in out and "(no training configuration recorded)" in out
    assert "(no epochs recorded)" in out and "(no scores recorded)" in out
    assert main(["info", str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["history"] == [] and info["config"] == {} and info["parameters"] == 50 * 8 + 8 + 8 * 3 + 3


def test_info_after_early_stopping_reports_the_best_epoch(tmp_path, capsys):
    path = tmp_path / "early.safetensors"
    record = {"epoch": 1, "train_loss": 1.0, "train_accuracy": 0.6, "val_loss": 0.8, "val_accuracy": 0.7,
              "lr": 0.1, "seconds": 0.1}
    later = {**record, "epoch": 2, "val_loss": 0.9, "val_accuracy": 0.65}
    square_free_model(path, History([record, later], stopped_early=True, best_epoch=1))
    assert main(["info", str(path), "--json"]) == 0
    final = json.loads(capsys.readouterr().out)["final"]
    assert final["epoch"] == 1 and final["val_accuracy"] == 0.7  # the weights are epoch 1's
    assert main(["info", str(path)]) == 0
    assert "val accuracy   70.00% (epoch 1)" in capsys.readouterr().out


def test_a_header_length_that_looks_like_a_pickle_opcode(tmp_path, capsys):
    rng = np.random.default_rng(0)
    model = Sequential([Dense(50, 8, rng=rng), ReLU(), Dense(8, 3, rng=rng)], output_activation="softmax")
    # a header length of 0x0380 = 896 or 0x0480 = 1152 bytes is written b"\x80\x03" or b"\x80\x04"
    # (little-endian), the opening of a pickle; lengthen a class name until the header has one
    for length in range(1, 400):
        names = ["a" * length, "b", "c"]
        trained = modelfile.TrainedModel(model=model, class_names=names)
        path = modelfile.save(tmp_path / "m.safetensors", trained)
        if path.read_bytes()[:2] in (b"\x80\x03", b"\x80\x04"):
            break
    assert path.read_bytes()[:2] in (b"\x80\x03", b"\x80\x04")
    assert main(["info", str(path)]) == 0
