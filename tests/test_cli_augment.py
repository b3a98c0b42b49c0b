"""`barenet train --augment ...`: recorded in the model file, used, resumed bit-identically."""

from __future__ import annotations

import numpy as np
import pytest

from barenet.cli import main
from barenet.experiment.config import TrainingConfig
from barenet.saving import modelfile
from test_cli_train import assert_same_weights, interrupt_after_epoch_2, train, weights

AUGMENT = ["--augment", "affine,elastic", "--rotate", "12", "--elastic-alpha", "30"]


def test_augmentation_is_recorded_and_changes_what_the_network_learns(tmp_path, mnist_slice_dir,
                                                                       capsys):
    status, out = train(tmp_path, mnist_slice_dir, "aug", "--epochs", "2", *AUGMENT)
    assert status == 0
    printed = capsys.readouterr().out
    assert "augment: affine (rotate ±12°" in printed and "elastic (α 30, σ 4)" in printed
    config = modelfile.load(out).config
    assert config["augment"] == ["affine", "elastic"]
    assert config["rotate"] == 12 and config["elastic_alpha"] == 30
    assert config["shift"] == TrainingConfig().shift  # the default
    assert train(tmp_path, mnist_slice_dir, "plain", "--epochs", "2")[0] == 0  # SMALL: --augment none
    assert not np.array_equal(weights(out)["0.W"], weights(tmp_path / "plain/model.safetensors")["0.W"])
    assert train(tmp_path, mnist_slice_dir, "again", "--epochs", "2", *AUGMENT)[0] == 0
    assert_same_weights(out, tmp_path / "again/model.safetensors")  # same seed, same images


EVERYTHING = ["--batchnorm", "--label-smoothing", "0.1", "--max-norm", "3", "--optimizer", "adamw",
              "--weight-decay", "0.01", "--schedule", "one_cycle", "--warmup-fraction", "0.4"]


@pytest.mark.parametrize("extra", [["--normalization", "standardize"], EVERYTHING],
                         ids=["standardized", "batchnorm-smoothing-maxnorm-adamw-onecycle"])
def test_an_augmented_run_interrupted_and_resumed_ends_with_the_uninterrupted_weights(
    tmp_path, mnist_slice_dir, monkeypatch, capsys, extra
):
    flags = ["--epochs", "4", *AUGMENT, *extra]
    assert train(tmp_path, mnist_slice_dir, "straight", *flags)[0] == 0
    interrupt_after_epoch_2(monkeypatch)
    status, out = train(tmp_path, mnist_slice_dir, "interrupted", *flags)
    assert status == 130
    monkeypatch.undo()
    checkpoint = out.with_name("model.checkpoint.safetensors")
    assert main(["train", "--resume", str(checkpoint), "--quiet", "--no-plot"]) == 0
    assert "augment: affine" in capsys.readouterr().out
    assert_same_weights(tmp_path / "straight/model.safetensors", out)  # incl. BatchNorm's buffers


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--augment", "blur"], "augment = 'blur' is invalid; choose from affine, elastic"),
        (["--augment", "affine", "--rotate", "-5"], "rotate must be finite and ≥ 0"),
        (["--augment", "elastic", "--elastic-sigma", "0"], "elastic_sigma must be > 0"),
        (["--augment", "affine", "--scale", "1.5"], "scale must be < 1"),
    ],
)
def test_bad_augmentation_settings_end_in_one_clear_line(tmp_path, flags, message, capsys):
    assert main(["train", "--out", str(tmp_path / "m.safetensors"), "--quiet", *flags]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "m.safetensors").exists()


def test_the_best_mlp_recipe_is_a_valid_augmented_configuration():
    from pathlib import Path

    from barenet.experiment.config import TrainingConfig, build, load_toml

    path = Path(__file__).resolve().parent.parent / "examples" / "best-mlp.toml"
    assert "barenet train --config examples/best-mlp.toml" in path.read_text(encoding="utf-8")
    config = TrainingConfig.from_dict(load_toml(path), path.name)
    assert config.hidden == [1024, 1024] and config.augment == ["affine", "elastic"]
    strengths = config.augmentation()
    assert strengths.affine and strengths.elastic_alpha > 0
    model = build(config, 784, 10)[0]
    assert model.parameter_count() == 784 * 1024 + 1024 + 1024 * 1024 + 1024 + 1024 * 10 + 10


def test_the_engine_pieces_are_built_from_their_settings():
    from barenet import nn
    from barenet.experiment.config import TrainingConfig, build

    config = TrainingConfig(hidden=[8, 6], batchnorm=True, label_smoothing=0.1, max_norm=3.0,
                            optimizer="adamw", weight_decay=0.01, schedule="cosine_steps",
                            warmup_steps=50)
    model, loss, optimizer, schedule = build(config, 784, 10)
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Dense", "BatchNorm", "ReLU", "Dropout", "Dense", "BatchNorm", "ReLU", "Dropout",
                     "Dense"]
    assert [layer.n for layer in model.layers if isinstance(layer, nn.BatchNorm)] == [8, 6]
    assert loss.label_smoothing == pytest.approx(0.1)
    assert isinstance(optimizer, nn.AdamW) and optimizer.max_norm == 3.0
    assert schedule.warmup_steps == 50
    plain = build(TrainingConfig(schedule="one_cycle"), 784, 10)
    assert plain[1].label_smoothing == 0 and plain[2].max_norm is None
    assert plain[3].warmup_fraction == nn.OneCycle(1e-3).warmup_fraction  # the schedule's default


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--label-smoothing", "1.5"], "label_smoothing = 1.5 is invalid"),
        (["--label-smoothing", "0.1", "--loss", "mse"], "label_smoothing needs the softmax"),
        (["--max-norm", "0"], "max_norm = 0.0 is invalid"),
        (["--warmup-fraction", "1"], "warmup_fraction = 1.0 is invalid"),
    ],
)
def test_bad_engine_settings_end_in_one_clear_line(tmp_path, flags, message, capsys):
    assert main(["train", "--out", str(tmp_path / "m.safetensors"), "--quiet", *flags]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_info_shows_the_augmentation_a_model_was_trained_with(tmp_path, mnist_slice_dir, capsys):
    status, out = train(tmp_path, mnist_slice_dir, "aug", "--epochs", "1", *AUGMENT, "--batchnorm")
    assert status == 0
    capsys.readouterr()
    assert main(["info", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "augment        affine (rotate ±12°" in printed and "elastic (α 30, σ 4)" in printed
    assert "dropout        0.2, batchnorm" in printed
