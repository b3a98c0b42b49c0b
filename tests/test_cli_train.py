"""`barenet train` end to end on a small slice of MNIST: outputs, determinism, resume, errors."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import load_file

from barenet.cli import main, train_progress
from barenet.saving import modelfile

# (augmentation off: these tests are about the command, and 2,500 images train faster unchanged)
SMALL = ["--hidden", "32", "--val-size", "500", "--batch-size", "64", "--augment", "none", "--quiet",
         "--no-plot"]


def train(tmp_path: Path, data_dir: Path, name: str, *flags: str) -> tuple[int, Path]:
    out = tmp_path / name / "model.safetensors"
    status = main(["train", "--data-dir", str(data_dir), *SMALL, "--out", str(out), *flags])
    return status, out


def weights(path: Path) -> dict[str, np.ndarray]:
    return {k: v for k, v in load_file(str(path)).items() if not k.startswith("optimizer.")}


def assert_same_weights(a: Path, b: Path) -> None:
    wa, wb = weights(a), weights(b)
    assert wa.keys() == wb.keys()
    for key in wa:
        np.testing.assert_array_equal(wa[key], wb[key], err_msg=key)


def test_train_writes_model_checkpoint_and_learns(tmp_path, mnist_slice_dir, capsys):
    status, out = train(tmp_path, mnist_slice_dir, "run", "--epochs", "3", "--lr", "0.005")
    assert status == 0
    printed = capsys.readouterr().out
    assert "784-32(relu)(dropout)-10" in printed and "parameters" in printed
    assert "epoch 3/3" in printed and "test accuracy" in printed
    assert str(out) in printed
    trained = modelfile.load(out)
    assert trained.kind == "model"
    assert len(trained.history.records) == 3
    assert trained.metrics["test_accuracy"] > 0.85  # 2,500 images, 3 epochs: a working learner
    assert trained.config["hidden"] == [32] and trained.config["seed"] == 0
    assert trained.class_names == [str(d) for d in range(10)]
    checkpoint = modelfile.load(out.with_name("model.checkpoint.safetensors"))
    assert checkpoint.kind == "checkpoint" and checkpoint.optimizer["t"] > 0
    assert_same_weights(out, out.with_name("model.checkpoint.safetensors"))


def test_same_seed_gives_the_same_model(tmp_path, mnist_slice_dir):
    assert train(tmp_path, mnist_slice_dir, "a", "--epochs", "2")[0] == 0
    assert train(tmp_path, mnist_slice_dir, "b", "--epochs", "2")[0] == 0
    assert_same_weights(tmp_path / "a/model.safetensors", tmp_path / "b/model.safetensors")
    assert train(tmp_path, mnist_slice_dir, "c", "--epochs", "2", "--seed", "1")[0] == 0
    wa, wc = weights(tmp_path / "a/model.safetensors"), weights(tmp_path / "c/model.safetensors")
    assert not np.array_equal(wa["0.W"], wc["0.W"])


def interrupt_after_epoch_2(monkeypatch) -> None:
    """Make training stop like Ctrl-C right after the checkpoint of epoch 2 is written."""
    save_epoch = train_progress.Checkpointer.on_epoch_end

    def save_then_interrupt(self, epoch, record):
        save_epoch(self, epoch, record)
        if epoch == 1:
            raise KeyboardInterrupt

    monkeypatch.setattr(train_progress.Checkpointer, "on_epoch_end", save_then_interrupt)


def test_interrupted_and_resumed_run_ends_with_the_uninterrupted_weights(
    tmp_path, mnist_slice_dir, monkeypatch, capsys
):
    assert train(tmp_path, mnist_slice_dir, "straight", "--epochs", "4")[0] == 0

    interrupt_after_epoch_2(monkeypatch)
    status, out = train(tmp_path, mnist_slice_dir, "interrupted", "--epochs", "4")
    assert status == 130 and not out.exists()
    checkpoint = out.with_name("model.checkpoint.safetensors")
    err = capsys.readouterr().err
    assert f"barenet train --resume {checkpoint}" in err
    monkeypatch.undo()

    assert main(["train", "--resume", str(checkpoint), "--quiet", "--no-plot"]) == 0
    assert "resuming from" in capsys.readouterr().out
    assert_same_weights(tmp_path / "straight/model.safetensors", out)
    assert len(modelfile.load(out).history.records) == 4
    # the per-batch losses travel through the checkpoint too: the same as the straight run's
    straight = modelfile.load(tmp_path / "straight/model.safetensors").history
    resumed = modelfile.load(out).history
    assert straight.batch_steps and resumed.batch_steps == straight.batch_steps
    assert resumed.batch_losses == straight.batch_losses


def test_a_loss_that_diverges_stops_with_a_clear_message(tmp_path, mnist_slice_dir, capsys):
    status, out = train(tmp_path, mnist_slice_dir, "nan", "--epochs", "2", "--optimizer", "sgd",
                        "--lr", "1e30", "--schedule", "constant")
    assert status == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("barenet: error:") and "lower the learning rate" in err
    assert len(err.splitlines()) == 1
    assert not out.exists()


@pytest.mark.parametrize(
    ("flags", "status", "message"),
    [
        (["--optimizer", "adagrad"], 1, "optimizer = 'adagrad' is invalid"),
        (["--activation", "gelu"], 1, "activation = 'gelu' is invalid"),
        (["--dropout", "1.5"], 1, "dropout"),
        (["--loss", "binary_cross_entropy"], 1, "does not go with output softmax"),
        (["--init", "he_normal,he_normal"], 1, "2 values given for 3 layers"),
        (["--hidden", "a,b"], 2, "comma-separated integers"),
        (["--epochs", "x"], 2, "invalid int value"),
        (["--config", "/nonexistent/barenet.toml"], 1, "configuration file not found"),
        (["--data-dir", "/nonexistent/mnist"], 1, "/nonexistent/mnist"),
        (["--resume", "/nonexistent/ckpt.safetensors"], 1, "model file not found"),
    ],
)
def test_bad_options_end_in_one_clear_line(tmp_path, flags, status, message, capsys):
    assert main(["train", "--out", str(tmp_path / "m.safetensors"), "--quiet", *flags]) == status
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    if status == 1:
        assert len(err.strip().splitlines()) == 1


def test_an_existing_model_is_never_overwritten_without_asking(tmp_path, mnist_slice_dir, capsys):
    out = tmp_path / "keep" / "model.safetensors"
    out.parent.mkdir()
    out.write_bytes(b"the user's file")
    status, _ = train(tmp_path, mnist_slice_dir, "keep", "--epochs", "1")
    assert status == 1 and "already exists" in capsys.readouterr().err
    assert out.read_bytes() == b"the user's file"


def toml_value(value) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return repr(value)


def test_the_recorded_configuration_replays_the_run(tmp_path, mnist_slice_dir):
    status, out = train(tmp_path, mnist_slice_dir, "orig", "--epochs", "2", "--activation", "tanh",
                        "--optimizer", "momentum", "--lr", "0.05", "--dropout", "0")
    assert status == 0
    config = modelfile.load(out).config
    lines = [f"{k} = {toml_value(v)}" for k, v in config.items() if v is not None and k != "out"]
    toml = tmp_path / "replay.toml"
    toml.write_text("\n".join(lines) + "\n")
    replay = tmp_path / "replay" / "model.safetensors"
    assert main(["train", "--config", str(toml), "--out", str(replay), "--quiet", "--no-plot"]) == 0
    assert_same_weights(out, replay)


def start_training(tmp_path: Path, data_dir: Path, out: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "barenet", "train", "--data-dir", str(data_dir), *SMALL,
         "--hidden", "64", "--epochs", "40", "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )


def wait_for(path: Path, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)


@pytest.mark.slow
def test_ctrl_c_keeps_a_checkpoint_and_resuming_matches_the_straight_run(tmp_path, mnist_slice_dir):
    out = tmp_path / "sigint" / "model.safetensors"
    checkpoint = out.with_name("model.checkpoint.safetensors")
    process = start_training(tmp_path, mnist_slice_dir, out)
    wait_for(checkpoint, process)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert f"resume with: barenet train --resume {checkpoint}" in stderr
    done = len(modelfile.load(checkpoint).history.records)
    assert 1 <= done < 40

    resumed = subprocess.run([sys.executable, "-m", "barenet", "train", "--resume", str(checkpoint),
                              "--quiet", "--no-plot"], capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    straight = tmp_path / "straight" / "model.safetensors"
    assert main(["train", "--data-dir", str(mnist_slice_dir), *SMALL, "--hidden", "64",
                 "--epochs", "40", "--out", str(straight)]) == 0
    assert_same_weights(straight, out)


@pytest.mark.slow
def test_sigkill_during_training_leaves_a_loadable_checkpoint(tmp_path, mnist_slice_dir):
    out = tmp_path / "sigkill" / "model.safetensors"
    checkpoint = out.with_name("model.checkpoint.safetensors")
    process = start_training(tmp_path, mnist_slice_dir, out)
    wait_for(checkpoint, process)
    time.sleep(0.3)  # somewhere in a later epoch, possibly mid-write of the next checkpoint
    process.kill()
    process.communicate(timeout=60)
    trained = modelfile.load(checkpoint)  # whole, never half-written
    assert trained.kind == "checkpoint" and len(trained.history.records) >= 1
    leftovers = [p.name for p in out.parent.iterdir() if p.name.endswith(".tmp")]
    resumed = subprocess.run([sys.executable, "-m", "barenet", "train", "--resume", str(checkpoint),
                              "--quiet", "--no-plot", "--epochs", str(len(trained.history.records) + 1)],
                             capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert modelfile.load(out).history.records[-1]["epoch"] == len(trained.history.records) + 1
    assert len(leftovers) <= 1  # at most the temporary file of the write the kill interrupted
