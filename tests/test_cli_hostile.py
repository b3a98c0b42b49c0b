"""`barenet train`, `plot`, `evaluate` and `predict` against a hostile user: outputs that are not
files, resumes from elsewhere, two runs at once, learning rates that ruin a run, bad TOML, full
disks. Each case: one line on stderr, the exit status, and the user's files unchanged."""

from __future__ import annotations

import argparse
import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from barenet.cli import main
from barenet.cli.train_outputs import resumed_out
from barenet.files import OutputLock
from barenet.saving import modelfile
from model_fixtures import train_tiny


def one_line(capsys) -> str:
    """The one error line of a refused command (and nothing that looks like a traceback)."""
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("barenet: error: ") and "Traceback" not in err, err
    return lines[0]


def files_in(directory: Path) -> dict[str, bytes | str]:
    """Every entry below `directory`: file bytes, or the kind of what is not a file."""
    entries: dict[str, bytes | str] = {}
    for path in sorted(directory.rglob("*")):
        mode = path.lstat().st_mode
        entries[str(path.relative_to(directory))] = (path.read_bytes() if stat.S_ISREG(mode) else
                                                     "fifo" if stat.S_ISFIFO(mode) else "dir")
    return entries


@pytest.fixture
def quick(mnist_slice_dir):
    """Flags of a one-epoch run on the MNIST slice (a second or so)."""
    return ["train", "--data-dir", str(mnist_slice_dir), "--hidden", "8", "--epochs", "1",
            "--val-size", "100", "--quiet"]


@pytest.fixture(scope="module")
def model(tmp_path_factory, mnist_slice_dir):
    path = tmp_path_factory.mktemp("hostile-model") / "tiny.safetensors"
    train_tiny(path, mnist_slice_dir, epochs=1)
    return path


# ---- figure outputs ------------------------------------------------------------------------

def figure_commands(model: Path, digit: Path, target: Path) -> dict[str, list[str]]:
    return {"plot --curves": ["plot", str(model), "--curves", str(target)],
            "plot --weights": ["plot", str(model), "--weights", str(target)],
            "evaluate --plot": ["evaluate", str(model), "--plot", str(target)],
            "predict --show": ["predict", str(model), str(digit), "--show", str(target)]}


@pytest.mark.parametrize("command", ["plot --curves", "plot --weights", "evaluate --plot",
                                     "predict --show"])
@pytest.mark.parametrize("kind", ["fifo", "directory"])
def test_a_figure_output_that_is_not_a_file_is_refused(tmp_path, model, digit_png, capsys,
                                                        command, kind):
    """Before: plot --curves and evaluate --plot replaced a FIFO (as root: a device) with a PNG."""
    target = tmp_path / "figure.png"
    os.mkfifo(target) if kind == "fifo" else target.mkdir()
    before = files_in(tmp_path)
    assert main(figure_commands(model, digit_png, target)[command]) == 1
    words = ("is a FIFO (named pipe), not a regular file" if kind == "fifo" else
             "is a directory, not a regular file")
    assert words in one_line(capsys)
    assert files_in(tmp_path) == before


def test_show_without_png_is_refused_not_renamed(tmp_path, model, digit_png, capsys):
    """Before: --show PATH silently wrote PATH.png."""
    assert main(["predict", str(model), str(digit_png), "--show", str(tmp_path / "shown")]) == 1
    assert "the file must end in .png; name it e.g. shown.png" in one_line(capsys)
    assert list(tmp_path.iterdir()) == []


# ---- train's outputs -----------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["fifo", "directory", "under a file", "read-only"])
def test_a_bad_out_is_refused_before_the_first_epoch(tmp_path, quick, capsys, kind):
    out = tmp_path / "m.safetensors"
    if kind == "fifo":
        os.mkfifo(out)
    elif kind == "directory":
        out.mkdir()
    elif kind == "under a file":
        (tmp_path / "file").write_text("mine")
        out = tmp_path / "file" / "m.safetensors"
    else:
        if os.geteuid() == 0:  # root writes into a mode 555 directory; nobody creates files in /proc
            out = Path("/proc/barenet-test/m.safetensors")
        else:
            (tmp_path / "ro").mkdir(mode=0o555)
            out = tmp_path / "ro" / "m.safetensors"
    before = files_in(tmp_path)
    assert main([*quick, "--out", str(out)]) == 1
    line = one_line(capsys)
    assert "--out" in line
    assert "epoch" not in capsys.readouterr().out
    assert files_in(tmp_path) == before


@pytest.mark.parametrize("existing", ["m.checkpoint.safetensors", "m-curves.png"])
def test_a_checkpoint_or_figure_already_there_is_not_overwritten(tmp_path, quick, capsys, existing):
    (tmp_path / existing).write_text("the user's")
    assert main([*quick, "--out", str(tmp_path / "m.safetensors")]) == 1
    line = one_line(capsys)
    assert "already exists" in line
    if "checkpoint" in existing:
        assert f"continue it with --resume {tmp_path / existing}" in line
    assert files_in(tmp_path) == {existing: b"the user's"}


# ---- resume --------------------------------------------------------------------------------

@pytest.fixture
def finished_run(tmp_path, quick):
    """A 2-epoch run in tmp_path/run, written with a relative --out from that directory."""
    run = tmp_path / "run"
    run.mkdir()
    cwd = os.getcwd()
    os.chdir(run)
    try:
        assert main([*quick, "--epochs", "2", "--out", "m.safetensors"]) == 0
    finally:
        os.chdir(cwd)
    return run


def test_resume_from_another_directory_writes_beside_the_checkpoint(tmp_path, finished_run, capsys,
                                                                     monkeypatch):
    """Before: the model went into the current directory, over an unrelated file of that name."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "m.safetensors").write_text("precious")
    monkeypatch.chdir(elsewhere)
    checkpoint = finished_run / "m.checkpoint.safetensors"
    capsys.readouterr()
    model_before = (finished_run / "m.safetensors").read_bytes()
    assert main(["train", "--resume", str(checkpoint), "--epochs", "3", "--quiet"]) == 1
    assert f"{finished_run / 'm.safetensors'} already exists" in one_line(capsys)
    assert (finished_run / "m.safetensors").read_bytes() == model_before
    assert main(["train", "--resume", str(checkpoint), "--epochs", "3", "--quiet", "--overwrite"]) == 0
    assert len(modelfile.load(finished_run / "m.safetensors").history.records) == 3
    assert files_in(elsewhere) == {"m.safetensors": b"precious"}


def test_a_relative_out_of_an_older_checkpoint_is_resolved_beside_it(tmp_path):
    args = argparse.Namespace(out=None, resume=str(tmp_path / "run" / "m.checkpoint.safetensors"))
    assert resumed_out(args, {"out": "runs/x/m.safetensors"}) == tmp_path / "run" / "m.safetensors"
    assert resumed_out(args, {"out": "/abs/m.safetensors"}) == Path("/abs/m.safetensors")


def test_fewer_epochs_than_done_are_refused(finished_run, capsys):
    """Before: --epochs 2 after 4 finished epochs was recorded as 'epochs 4 of 2'."""
    checkpoint = finished_run / "m.checkpoint.safetensors"
    before = files_in(finished_run)
    for epochs in ("1", "2"):
        assert main(["train", "--resume", str(checkpoint), "--epochs", epochs, "--quiet"]) == 1
        assert "has already finished 2 epochs; give more than 2" in one_line(capsys)
    assert files_in(finished_run) == before


@pytest.mark.parametrize("flags, words", [
    (["--lr", "0.5"], "--lr cannot change when resuming"),
    (["--hidden", "3"], "--hidden cannot change when resuming"),
    (["--seed", "4"], "--seed cannot change when resuming"),
    (["--config", "x.toml"], "--config x.toml cannot be combined with --resume"),
])
def test_settings_given_with_resume_are_refused_not_ignored(finished_run, capsys, flags, words):
    """Before: --lr, --hidden, ... given with --resume were silently ignored."""
    before = files_in(finished_run)
    assert main(["train", "--resume", str(finished_run / "m.checkpoint.safetensors"), "--epochs",
                 "3", "--overwrite", "--quiet", *flags]) == 1
    assert words in one_line(capsys)
    assert files_in(finished_run) == before


def test_resume_with_out_writes_a_new_model_and_keeps_the_checkpoint(tmp_path, finished_run, capsys):
    checkpoint = finished_run / "m.checkpoint.safetensors"
    before = files_in(finished_run)
    out = tmp_path / "longer" / "m4.safetensors"
    assert main(["train", "--resume", str(checkpoint), "--epochs", "4", "--out", str(out),
                 "--quiet"]) == 0
    assert len(modelfile.load(out).history.records) == 4
    assert modelfile.load(out).config["out"] == str(out.absolute())
    assert files_in(finished_run) == before  # the resumed run's files untouched


# ---- two runs, interrupted saves -------------------------------------------------------------

def test_a_second_run_on_the_same_out_refuses(tmp_path, quick):
    """Before: two runs on one --out both reported success; one result silently disappeared."""
    out = tmp_path / "m.safetensors"
    with OutputLock(out):  # the first run, holding its lock (flock: any process)
        result = subprocess.run([sys.executable, "-m", "barenet", *quick, "--out", str(out)],
                                capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"barenet: error: {out}: another barenet (process {os.getpid()}) is writing this file right "
        "now; wait for it to finish or choose another --out"]
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == []


def test_stale_temporary_files_of_an_interrupted_save_are_removed(tmp_path, quick, capsys):
    """Before: `.m.safetensors.*.tmp` of a killed save stayed for ever."""
    stale = [tmp_path / ".m.safetensors.k1l2d3.tmp", tmp_path / ".m.checkpoint.safetensors.x9.tmp"]
    for path in stale:
        path.write_bytes(b"half a file")
    stale.append(tmp_path / ".other.checkpoint.safetensors.q7.tmp")  # a run of another --out
    stale[-1].write_bytes(b"half a file")
    running = tmp_path / ".busy.checkpoint.safetensors.z1.tmp"  # a run writing it right now
    running.write_bytes(b"being written")
    (tmp_path / ".notes.txt.abc.tmp").write_text("someone else's")
    with OutputLock(tmp_path / "busy.safetensors"):
        assert main([*quick, "--out", str(tmp_path / "m.safetensors"), "--no-plot"]) == 0
    out = capsys.readouterr().out
    for path in stale:
        assert not path.exists() and f"note: removed {path}, left by an interrupted save" in out
    assert (tmp_path / ".notes.txt.abc.tmp").read_text() == "someone else's"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".busy.checkpoint.safetensors.z1.tmp", ".notes.txt.abc.tmp", "m.checkpoint.safetensors",
        "m.safetensors"]


# ---- learning rates, sizes, chance -----------------------------------------------------------

def test_a_learning_rate_that_diverges_is_an_error(tmp_path, quick, capsys):
    """Before: --lr 1e9 ended with exit 0 and 8.9 % accuracy."""
    assert main([*quick, "--lr", "1e9", "--out", str(tmp_path / "m.safetensors")]) == 1
    line = one_line(capsys)
    assert line.startswith("barenet: error: training diverged: the training loss went from")
    assert "lower the learning rate" in line and not (tmp_path / "m.safetensors").exists()


@pytest.mark.parametrize("flags, words", [
    (["--gamma=-1", "--schedule", "step"], "gamma = -1.0 is invalid; the decay factor must be positive"),
    (["--gamma=-1", "--schedule", "exponential"], "gamma = -1.0 is invalid"),
    (["--gamma", "0", "--schedule", "exponential"], "gamma = 0.0 is invalid"),
    (["--min-lr=-1"], "min_lr = -1.0 is invalid; the final learning rate must be ≥ 0"),
    (["--gamma", "nan", "--schedule", "step"], "gamma = nan is invalid; expected a finite number"),
    (["--weight-decay", "nan"], "weight_decay = nan is invalid; expected a finite number"),
    (["--lr", "inf"], "lr = inf is invalid; expected a finite number"),
    (["--gamma", "1e-300", "--schedule", "exponential", "--epochs", "3"],
     "the exponential schedule gives learning rate 0 at epoch 3"),
])
def test_a_schedule_that_leaves_the_positive_finite_range_is_refused_up_front(
        tmp_path, quick, capsys, flags, words):
    assert main([*quick, *flags, "--out", str(tmp_path / "m.safetensors")]) == 1
    assert words in one_line(capsys)
    assert "epoch 1" not in capsys.readouterr().out and list(tmp_path.iterdir()) == []


def test_a_network_too_large_for_memory_is_refused_with_its_size(tmp_path, quick, capsys, monkeypatch):
    from barenet.experiment import memory

    monkeypatch.setattr(memory, "available_bytes", lambda: 16 * 10**9)
    assert main([*quick, "--hidden", "2000000", "--out", str(tmp_path / "m.safetensors")]) == 1
    line = one_line(capsys)
    assert "the network 784-2000000-10 has 1,590,000,010 parameters and needs about" in line
    assert "more than the 16,000,000,000 bytes (16.0 GB) of memory available" in line
    assert list(tmp_path.iterdir()) == []


def test_training_bytes_by_hand():
    from barenet.experiment.memory import parameter_count, training_bytes

    assert parameter_count([784, 512, 512, 10]) == 784 * 512 + 512 + 512 * 512 + 512 + 512 * 10 + 10
    params = parameter_count([4, 3, 2])  # 15 + 8 = 23
    assert training_bytes([4, 3, 2], "adam", 10) == 4 * 23 * 4 + 4 * 10 * 5 * 4 + 4 * 4096 * 4 * 2
    assert params == 23


def test_a_run_at_chance_level_says_so(tmp_path, quick, capsys):
    """All-zero weights answer class 0 for every image: no better than guessing."""
    assert main([*quick, "--init", "zeros", "--lr", "1e-9", "--out", str(tmp_path / "m.safetensors"),
                 "--no-plot"]) == 0
    err = capsys.readouterr().err
    assert "barenet: warning: test accuracy" in err and "is chance level" in err


# ---- TOML configurations -------------------------------------------------------------------

@pytest.mark.parametrize("text, words", [
    ("out = 5", "out = 5 is invalid; expected a string (or left out)"),
    ("data_dir = 5", "data_dir = 5 is invalid; expected a string (or left out)"),
    ("bias_init = 5", "bias_init = 5 is invalid; expected a string"),
    ("train = 5", "'train' must be a table"),
    ("epochs = 1e400", "epochs = inf is invalid; expected an integer"),
    ('hidden = ["512"]', "hidden = ['512'] is invalid; expected a list of integers"),
])
def test_wrong_types_in_a_config_file_are_one_line(tmp_path, quick, capsys, text, words):
    """Before: `out = 5`, `data_dir = 5`, `bias_init = 5`, `train = 5` ended in tracebacks."""
    config = tmp_path / "c.toml"
    config.write_text(text + "\n")
    assert main([*quick, "--config", str(config), "--out", str(tmp_path / "m.safetensors")]) == 1
    line = one_line(capsys)
    assert str(config) in line and words in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.toml"]


@pytest.mark.parametrize("kind", ["fifo", "dev_zero"])
def test_a_config_that_is_not_a_file_is_refused_without_blocking(tmp_path, kind):
    config = tmp_path / "c.toml" if kind == "fifo" else Path("/dev/zero")
    if kind == "fifo":
        os.mkfifo(config)
    result = subprocess.run([sys.executable, "-m", "barenet", "train", "--config", str(config),
                             "--out", str(tmp_path / "m.safetensors")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    kind_words = "a FIFO (named pipe)" if kind == "fifo" else "a character device"
    assert result.stderr.strip().splitlines() == [
        f"barenet: error: {config}: is {kind_words}, not a regular file; --config takes a TOML file"]


def test_epochs_on_the_command_line_override_steps_in_the_file(tmp_path, quick, capsys):
    """Before: the file's `steps` won over --epochs."""
    config = tmp_path / "c.toml"
    config.write_text("steps = 3\n")
    out = tmp_path / "m.safetensors"
    assert main([*quick, "--config", str(config), "--epochs", "2", "--out", str(out), "--no-plot"]) == 0
    printed = capsys.readouterr().out
    assert "2 epochs," in printed and "steps" not in printed
    trained = modelfile.load(out)
    assert trained.config["steps"] is None and len(trained.history.records) == 2


# ---- full disks ----------------------------------------------------------------------------

def disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_plot_that_cannot_be_written_is_one_line_and_the_model_stays(tmp_path, quick, capsys,
                                                                        monkeypatch):
    from barenet.experiment import plots

    monkeypatch.setattr(plots, "atomic_write", disk_full)
    out = tmp_path / "m.safetensors"
    assert main([*quick, "--out", str(out)]) == 1
    line = one_line(capsys)
    assert line == (f"barenet: error: the model is saved in {out}, but the learning curves could "
                    f"not be written to {tmp_path / 'm-curves.png'} (No space left on device); free "
                    f"some space, then draw them with: barenet plot {out}")
    assert len(modelfile.load(out).history.records) == 1


def test_a_full_disk_on_resume_says_what_to_do(tmp_path, finished_run, capsys, monkeypatch):
    """Before: 'choose another --out', which --resume then ignored."""
    checkpoint = finished_run / "m.checkpoint.safetensors"
    (finished_run / "m.safetensors").unlink()  # as if the disk had filled at the end of the run
    (finished_run / "m-curves.png").unlink()
    real_write = modelfile.atomic_write

    def full_for_the_model(path, data):
        if Path(path).name == "m.safetensors":
            disk_full()
        return real_write(path, data)

    monkeypatch.setattr(modelfile, "atomic_write", full_for_the_model)
    assert main(["train", "--resume", str(checkpoint), "--epochs", "3", "--quiet"]) == 1
    line = one_line(capsys)
    assert "cannot write the model file (No space left on device); free some space on that disk" in line
    assert f"resume it with barenet train --resume {checkpoint} (with --out elsewhere" in line
    assert len(modelfile.load(checkpoint).history.records) == 3  # the work is kept
    monkeypatch.setattr(modelfile, "atomic_write", real_write)  # space freed: do as the line says
    assert main(["train", "--resume", str(checkpoint), "--quiet"]) == 0
    assert len(modelfile.load(finished_run / "m.safetensors").history.records) == 3
    assert main(["train", "--resume", str(checkpoint), "--quiet"]) == 1  # now nothing is left to do
    assert "is finished (3 of 3 epochs) and its model" in one_line(capsys)


def test_a_batch_larger_than_the_data_is_not_mistaken_for_a_memory_hog(tmp_path, quick, capsys):
    """The memory estimate counts a batch of at most the training set (a full batch)."""
    out = tmp_path / "m.safetensors"
    assert main([*quick, "--batch-size", "1000000000", "--out", str(out), "--no-plot"]) == 0
    assert len(modelfile.load(out).history.records) == 1
