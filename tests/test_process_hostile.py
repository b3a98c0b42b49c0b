"""The command line against what comes from outside the process (issue 22): a pipe whose reader
leaves (`| head -4`), standard output on a full device, file names that are not UTF-8, SIGTERM
and SIGHUP during training. Each case: the run's files as promised, one line, the right status."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from barenet.saving import modelfile
from child_env import child_env

BARENET = [sys.executable, "-m", "barenet"]


def quick(data_dir: Path, epochs: int = 2) -> list[str]:
    return ["train", "--data-dir", str(data_dir), "--hidden", "8", "--epochs", str(epochs),
            "--val-size", "100", "--quiet", "--augment", "none"]


def no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr


def test_train_piped_into_head_trains_to_the_end(tmp_path, mnist_slice_dir):
    """Before: `barenet train | head -4`: training stopped after about an epoch, exit status 0,
    no model, nothing said. Now the run goes on to the end (an hour's run is not thrown away
    because its reader left), writes its model and says on stderr that output is no longer shown."""
    out = tmp_path / "m.safetensors"
    process = subprocess.Popen([*BARENET, *quick(mnist_slice_dir, epochs=4), "--out", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env())
    head = [process.stdout.readline() for _ in range(2)]
    process.stdout.close()  # `head -2` exits
    stderr = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=120) == 0, stderr
    assert all(head) and len(modelfile.load(out).history.records) == 4
    assert "the output's reader has gone" in stderr and (tmp_path / "m-curves.png").is_file()
    no_traceback(stderr)


def test_stdout_on_a_full_device_is_one_line_and_status_1(tmp_path, mnist_slice_dir):
    """Before: a traceback (OSError: [Errno 28] No space left on device)."""
    out = tmp_path / "m.safetensors"
    with open("/dev/full", "w") as full:
        result = subprocess.run([*BARENET, *quick(mnist_slice_dir, epochs=1), "--out", str(out),
                                 "--no-plot"], stdout=full, stderr=subprocess.PIPE, text=True,
                                env=child_env(), timeout=120)
    assert result.returncode == 1 and modelfile.load(out).history.records  # the model is saved
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines[-1].startswith("barenet: error: the output could not be written (No space left")
    no_traceback(result.stderr)


def test_a_file_name_that_is_not_utf8_is_printed_escaped(tmp_path, mnist_slice_dir):
    """Before: every command printing such a path raised UnicodeEncodeError; train had saved
    the model and never drew its curves."""
    out = os.fsencode(tmp_path) + b"/caf\xe9.safetensors"  # Latin-1, not UTF-8
    env = child_env(LC_ALL="C.UTF-8", PYTHONIOENCODING="")
    args = [os.fsencode(a) for a in [*BARENET, *quick(mnist_slice_dir, epochs=1)]]
    result = subprocess.run([*args, b"--out", out], capture_output=True, env=env, timeout=120)
    no_traceback(result.stderr.decode())
    assert result.returncode == 0 and os.path.isfile(os.fsencode(tmp_path) + b"/caf\xe9-curves.png")
    assert b"caf\\xe9.safetensors" in result.stdout
    info = subprocess.run([*BARENET[:1], "-m", "barenet", "info", out], capture_output=True, env=env,
                          timeout=60)
    assert info.returncode == 0 and b"caf\\xe9" in info.stdout, info.stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_during_train_say_how_to_resume(tmp_path, mnist_slice_dir, signum):
    """Before: SIGTERM and SIGHUP ended `train` silently, with a stale lock file."""
    out = tmp_path / "m.safetensors"
    process = subprocess.Popen([*BARENET, *quick(mnist_slice_dir, epochs=200), "--out", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=child_env(PYTHONUNBUFFERED="1"))
    while "epoch" not in (line := process.stdout.readline()) or "1/200" not in line:
        assert line, process.stderr.read()
    time.sleep(0.2)
    process.send_signal(signum)
    stderr = process.stderr.read()
    process.stderr.close()
    process.stdout.close()
    assert process.wait(timeout=60) == 128 + signum, stderr
    checkpoint = tmp_path / "m.checkpoint.safetensors"
    assert f"resume with: barenet train --resume {checkpoint}" in stderr
    no_traceback(stderr)
    assert modelfile.load(checkpoint).history.records and not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.checkpoint.safetensors"]  # no lock
