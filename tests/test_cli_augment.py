"""`barenet train --augment ...`: recorded in the model file, used, resumed bit-identically."""

from __future__ import annotations

import numpy as np
import pytest

from barenet import modelfile
from barenet.cli import main
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
    assert config["rotate"] == 12 and config["elastic_alpha"] == 30 and config["shift"] == 2
    assert train(tmp_path, mnist_slice_dir, "plain", "--epochs", "2")[0] == 0
    assert not np.array_equal(weights(out)["0.W"], weights(tmp_path / "plain/model.safetensors")["0.W"])
    assert train(tmp_path, mnist_slice_dir, "again", "--epochs", "2", *AUGMENT)[0] == 0
    assert_same_weights(out, tmp_path / "again/model.safetensors")  # same seed, same images


def test_an_augmented_run_interrupted_and_resumed_ends_with_the_uninterrupted_weights(
    tmp_path, mnist_slice_dir, monkeypatch, capsys
):
    flags = ["--epochs", "4", *AUGMENT, "--normalization", "standardize"]
    assert train(tmp_path, mnist_slice_dir, "straight", *flags)[0] == 0
    interrupt_after_epoch_2(monkeypatch)
    status, out = train(tmp_path, mnist_slice_dir, "interrupted", *flags)
    assert status == 130
    monkeypatch.undo()
    checkpoint = out.with_name("model.checkpoint.safetensors")
    assert main(["train", "--resume", str(checkpoint), "--quiet", "--no-plot"]) == 0
    assert "augment: affine" in capsys.readouterr().out
    assert_same_weights(tmp_path / "straight/model.safetensors", out)


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

    from barenet.config import TrainingConfig, build, load_toml

    path = Path(__file__).resolve().parent.parent / "examples" / "best-mlp.toml"
    assert "barenet train --config examples/best-mlp.toml" in path.read_text(encoding="utf-8")
    config = TrainingConfig.from_dict(load_toml(path), path.name)
    assert config.hidden == [1024, 1024] and config.augment == ["affine", "elastic"]
    strengths = config.augmentation()
    assert strengths.affine and strengths.elastic_alpha > 0
    model = build(config, 784, 10)[0]
    assert model.parameter_count() == 784 * 1024 + 1024 + 1024 * 1024 + 1024 + 1024 * 10 + 10
