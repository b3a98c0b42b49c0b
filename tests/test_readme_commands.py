"""Every `barenet …` command in the READMEs' shell blocks runs as written and exits with 0.

The commands run with bash, one by one, each in a fresh copy of a working directory that looks
like a user's after `barenet train`: `runs/mnist-readme/` holds a model and its checkpoint
(trained on a 3,000-image slice of MNIST), `examples/` the project's TOML files, and
`my_digit.jpg` a photo-like digit. What is adapted, and why, is listed here and nowhere else:

- `barenet train …` gets `--data-dir SLICE --epochs 1 --val-size 500 --quiet` appended (flags
  override what comes before them, and a TOML file), so that each run takes seconds on the slice;
  the other flags it is written with are all used.
- `runs/mnist-…/` (an ellipsis a reader fills in) is the run directory above. For `--resume`, the
  run is trained again in the copy (a checkpoint names its model file by absolute path) and its
  files but the checkpoint removed (as after a crash: only the checkpoint is there), and the command
  gets `--epochs 2`, since the checkpoint holds the run's one finished epoch (it extends the run).
- `barenet serve …` runs until its page answers, then gets Ctrl-C (SIGINT) and must exit with 0.
- `barenet check ID` runs after `barenet solution ID > ID.py`: the README has the reader fill in
  the starter between `barenet exercise ID` and `barenet check ID`; the reference stands in for
  their edit (a starter as it comes is "not implemented yet", exit status 1).
- Not run: `--dataset fashion-mnist` (it downloads, and the tests have no network), the install and
  test commands themselves (`pip install`, `pytest`: CI runs them), and `python3 benchmarks/…`
  (benchmarks are run by hand; they take minutes).
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from child_env import child_env

REPO = Path(__file__).resolve().parents[1]
READMES = [REPO / name for name in ("README.md", "README.zh-CN.md") if (REPO / name).is_file()]
NEEDS_NETWORK = ("--dataset fashion-mnist",)


def shell_blocks(text: str) -> list[str]:
    """The bodies of the ```bash blocks of a Markdown text."""
    return re.findall(r"^```(?:bash|sh|shell)[ \t]*\n(.*?)^```", text, flags=re.M | re.S)


def barenet_commands(text: str) -> list[str]:
    """Every command line starting with `barenet ` (continuations joined, comments removed)."""
    commands = []
    for block in shell_blocks(text):
        for line in block.replace("\\\n", " ").splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            if line.startswith("barenet ") and not any(flag in line for flag in NEEDS_NETWORK):
                commands.append(" ".join(line.split()))
    return commands


COMMANDS = sorted({c for path in READMES for c in barenet_commands(path.read_text(encoding="utf-8"))})


def test_the_readme_has_commands_to_run():
    assert any(c.startswith("barenet evaluate") for c in COMMANDS)
    assert any(c.startswith("barenet train") for c in COMMANDS)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory, mnist_slice_dir, mnist) -> Path:
    """A user's directory after a (short) `barenet train`: runs/, examples/, my_digit.jpg."""
    home = tmp_path_factory.mktemp("user")
    train_a_run(home, mnist_slice_dir)
    shutil.copytree(REPO / "examples", home / "examples")
    digit = 255 - np.kron(mnist.test_images[0], np.ones((8, 8), dtype=np.uint8))  # dark ink, 224×224
    Image.fromarray(digit).convert("RGB").save(home / "my_digit.jpg", quality=90)
    return home


def train_a_run(home: Path, data_dir: Path) -> Path:
    """`barenet train` for one epoch into home/runs/mnist-readme/; the run's directory."""
    run = home / "runs" / "mnist-readme"
    done = subprocess.run(["barenet", "train", "--data-dir", str(data_dir), "--epochs", "1", "--quiet",
                           "--overwrite", "--out", str(run / "model.safetensors")],
                          cwd=home, env=child_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (run / "model.checkpoint.safetensors").is_file()
    return run


def as_run(command: str, data_dir: Path) -> str:
    command = command.replace("runs/mnist-…/", "runs/mnist-readme/")
    if command.startswith("barenet check "):
        exercise = command.split()[2]
        command = f"barenet solution {exercise} > {exercise}.py && {command}"
    elif command.startswith("barenet train --resume"):
        command += " --epochs 2"  # the run in runs/ finished its 1 epoch: extend it by one
    elif command.startswith("barenet train"):
        command += f" --data-dir {data_dir} --epochs 1 --val-size 500 --quiet"
    return command


def serve_until_it_answers(command: str, cwd: Path) -> int:
    """Start the server, wait for its health answer, Ctrl-C it; its exit status."""
    port_free = "--port" not in command
    server = subprocess.Popen(["bash", "-c", f"exec {command}" + (" --port 0" if port_free else "")],
                              cwd=cwd, env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    try:
        url = None
        deadline = time.monotonic() + 60
        while url is None and time.monotonic() < deadline and server.poll() is None:
            line = server.stdout.readline()
            found = re.search(r"http://[\w.\[\]:]+/", line)
            url = found.group(0) if found else None
        assert url, "the server never said where it listens"
        with urllib.request.urlopen(url + "api/health", timeout=10) as answer:
            assert json.load(answer)
        server.send_signal(signal.SIGINT)
        return server.wait(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        server.stdout.close()


@pytest.mark.slow
@pytest.mark.parametrize("command", COMMANDS)
def test_readme_command_runs(command, workdir, mnist_slice_dir, tmp_path):
    cwd = tmp_path / "cwd"
    shutil.copytree(workdir, cwd, symlinks=True)
    command = as_run(command, mnist_slice_dir)
    if "--resume" in command:  # as after a crash: the checkpoint is there, the final model is not
        for path in train_a_run(cwd, mnist_slice_dir).iterdir():
            if path.name != "model.checkpoint.safetensors":
                path.unlink()
    if command.startswith("barenet serve"):
        assert serve_until_it_answers(command, cwd) == 0
        return
    done = subprocess.run(["bash", "-c", command], cwd=cwd, env=child_env(), capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, f"{command}\n{done.stderr[-2000:]}"
