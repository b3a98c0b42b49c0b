"""One safe way to create an output file, for the command line and the Python API alike, against
a hostile directory: links planted where a lock or a model goes, FIFOs, another process's save in
progress, two runs whose files collide, a full disk, names too long. Each case: refused with one
line (or a clear exception), and the user's files unchanged."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from barenet import files
from barenet.cli import main
from barenet.cli.train_outputs import claimed
from barenet.errors import ModelFileError
from barenet.files import atomic_write
from test_cli_hostile import files_in, one_line


@pytest.fixture
def quick(mnist_slice_dir):
    """Flags of a one-epoch run on the MNIST slice (a second or so)."""
    return ["train", "--data-dir", str(mnist_slice_dir), "--hidden", "8", "--epochs", "1",
            "--val-size", "100", "--quiet", "--no-plot"]


@pytest.fixture
def precious(tmp_path) -> Path:
    path = tmp_path / "precious.txt"
    path.write_text("another user's thesis")
    return path


# ---- the lock file ---------------------------------------------------------------------------

@pytest.mark.parametrize("link", ["symlink", "hardlink"])
def test_a_link_planted_as_the_lock_is_refused_not_truncated(tmp_path, quick, capsys, precious, link):
    """Before: `.m.safetensors.lock` -> precious.txt: precious.txt then held a process id, exit 0."""
    lock = tmp_path / ".m.safetensors.lock"
    (os.symlink if link == "symlink" else os.link)(precious, lock)
    before = files_in(tmp_path)
    assert main([*quick, "--out", str(tmp_path / "m.safetensors")]) == 1
    line = one_line(capsys)
    assert "is not barenet's lock file" in line and "remove it" in line
    assert files_in(tmp_path) == before and precious.read_text() == "another user's thesis"


def test_a_full_disk_when_the_lock_is_written_is_one_line(tmp_path, quick, capsys, monkeypatch):
    """Before: OSError: [Errno 28] traceback from os.write."""
    real_write = os.write

    def full_for_locks(fd, data):
        if os.readlink(f"/proc/self/fd/{fd}").endswith(".lock"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(files.os, "write", full_for_locks)
    assert main([*quick, "--out", str(tmp_path / "m.safetensors")]) == 1
    line = one_line(capsys)
    assert "No space left on device" in line and "free some space" in line
    assert list(tmp_path.iterdir()) == []  # no lock left behind


# ---- what a save replaces --------------------------------------------------------------------

def make(kind: str, target: Path, precious: Path) -> None:
    """A FIFO, a character device (/dev/null's numbers; needs root) or a link at `target`."""
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "device":
        try:
            os.mknod(target, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("creating a device node needs root")
    else:
        os.symlink(precious, target)


@pytest.mark.parametrize("kind", ["fifo", "device", "symlink"])
def test_the_python_api_never_replaces_a_fifo_or_writes_through_a_link(tmp_path, precious, kind):
    """Before: BarenetClassifier.save / modelfile.save replaced a FIFO or a device node with a
    regular file."""
    pytest.importorskip("sklearn")
    from barenet.sklearn import BarenetClassifier

    target = tmp_path / "m.safetensors"
    make(kind, target, precious)
    rng = np.random.default_rng(0)
    clf = BarenetClassifier(hidden=(4,), epochs=1, random_state=0).fit(rng.random((20, 3)),
                                                                       np.arange(20) % 2)
    before = files_in(tmp_path)
    with pytest.raises(ModelFileError, match="barenet writes a model only to a new or a regular file"):
        clf.save(target)
    with pytest.raises(OSError):
        atomic_write(target, b"bytes")
    assert files_in(tmp_path) == before and precious.read_text() == "another user's thesis"
    assert {"fifo": target.is_fifo, "device": target.is_char_device, "symlink": target.is_symlink}[kind]()


def test_an_out_that_is_a_link_is_refused_before_the_first_epoch(tmp_path, quick, capsys, precious):
    link = tmp_path / "m.safetensors"
    link.symlink_to(precious)
    assert main([*quick, "--out", str(link), "--overwrite"]) == 1
    assert "is a symbolic link, not a regular file" in one_line(capsys)
    assert precious.read_text() == "another user's thesis" and link.is_symlink()


# ---- temporary files of other processes ------------------------------------------------------

def test_a_save_in_progress_in_another_process_is_left_alone(tmp_path, quick, capsys):
    """Before: `barenet train` removed a notebook's `.nb.safetensors.*.tmp` mid-save (4 of 6 races)."""
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        busy = tmp_path / f".nb.safetensors.pid{alive.pid}-abcd1234.tmp"
        busy.write_bytes(b"a notebook's save in progress")
        dead = tmp_path / f".old.safetensors.pid{2**22 + 7}-efgh5678.tmp"  # above pid_max: gone
        dead.write_bytes(b"left by a killed save")
        assert files.abandoned(busy) is False and files.abandoned(dead) is True
        assert main([*quick, "--out", str(tmp_path / "m.safetensors")]) == 0
        assert busy.read_bytes() == b"a notebook's save in progress" and not dead.exists()
        assert f"removed {dead}" in capsys.readouterr().out
    finally:
        alive.kill()
        alive.wait()


def test_atomic_write_names_its_temporary_file_with_its_process_id(tmp_path, monkeypatch):
    seen = []
    real_replace = os.replace
    monkeypatch.setattr(files.os, "replace", lambda a, b: (seen.append(Path(a)), real_replace(a, b)))
    atomic_write(tmp_path / "m.safetensors", b"x")
    assert seen[0].name.startswith(f".m.safetensors.pid{os.getpid()}-") and files.abandoned(seen[0])


# ---- two runs whose files collide ------------------------------------------------------------

@pytest.mark.parametrize("first, second", [("a.safetensors", "a.checkpoint.safetensors"),
                                           ("a.checkpoint.safetensors", "a.safetensors")])
def test_a_run_whose_model_is_another_runs_checkpoint_is_refused(tmp_path, quick, capsys, first,
                                                                 second):
    """Before: `--out a.safetensors` and `--out a.checkpoint.safetensors` at once both exited 0,
    and the second's model was overwritten by the first's checkpoint."""
    with claimed(tmp_path / first, overwrite=False, plot=False):  # the first run, under way
        assert main([*quick, "--out", str(tmp_path / second)]) == 1
    line = one_line(capsys)
    assert "another barenet (process" in line and "a.checkpoint.safetensors" in line
    assert list(tmp_path.iterdir()) == []


# ---- names too long --------------------------------------------------------------------------

@pytest.mark.parametrize("length", [240, 250])
def test_an_out_name_too_long_is_refused_before_the_first_epoch(tmp_path, quick, capsys, length):
    """Before: 250 bytes: a traceback (the lock's name is longer); 240: an epoch trained, then the
    checkpoint's temporary file's name was too long."""
    out = tmp_path / ("m" * (length - len(".safetensors")) + ".safetensors")
    assert main([*quick, "--out", str(out)]) == 1
    line = one_line(capsys)
    assert "the name is too long for this file system" in line and "epoch" not in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []

