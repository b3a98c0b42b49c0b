"""Every resource a download, an archive, a check or a plot can consume, bounded up front (issue
22): endless and trickling mirrors, a mirror announcing too much, .part files of killed
downloads, a gzip bomb, gradcheck on a large network, predict --show on many images, a network
deeper than a model file holds. Each case: refused or cut short in bounded time and memory."""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import time
import tracemalloc
import zlib

import numpy as np
import pytest

import barenet.data.download as download
import test_data_download
from barenet.cli import main
from barenet.data import load_dataset
from barenet.data.datasets import IDX_FILES
from barenet.errors import ConfigError, DataError
from barenet.experiment.config import MAX_HIDDEN_LAYERS, TrainingConfig, build
from barenet.nn import History
from barenet.saving import modelfile
from child_env import child_env
from data_helpers import Mirror
from test_cli_hostile import one_line

FAST = {"timeout": 5.0, "retries": 0, "backoff": 0.0, "progress": False}
tiny = test_data_download.tiny  # the fixture: a registered dataset "tiny" of small arrays


# ---- downloads -------------------------------------------------------------------------------

def test_a_mirror_that_streams_for_ever_is_cut_at_the_files_size(tiny, tmp_path, monkeypatch):
    """Before: a mirror streaming zeros filled the disk (1.1 GB in 15 s; MNIST's largest file is
    9.9 MB)."""
    monkeypatch.setitem(download.CONTENT_SIZES, "train-images-idx3-ubyte", 100_000)
    target = tmp_path / "dl"
    started = time.monotonic()
    with Mirror().serve("endless", tiny) as endless:
        with pytest.raises(DataError, match="sent more than the 104,196 bytes"):
            load_dataset("tiny", target, mirrors=[endless.url], **FAST)
    assert time.monotonic() - started < 5 and not target.exists()  # the new directory removed


def test_a_mirror_announcing_more_than_the_file_holds_is_not_read(tiny, tmp_path, monkeypatch):
    monkeypatch.setattr(download, "largest_size", lambda name: 100)
    with Mirror().serve("ok", tiny) as big:
        with pytest.raises(DataError, match=r"announces [\d,]+ bytes, more than the 100"):
            load_dataset("tiny", tmp_path / "dl", mirrors=[big.url], **FAST)


def test_a_mirror_that_trickles_meets_a_total_deadline(tiny, tmp_path, monkeypatch):
    """Before: a byte every few seconds never tripped the per-read timeout: it never ended."""
    monkeypatch.setattr(download, "DEADLINE", 0.5)
    started = time.monotonic()
    with Mirror(delay=0.05).serve("trickle", tiny) as slow:
        with pytest.raises(DataError, match=r"too slow: [\d,]+ bytes in 0 s"):
            load_dataset("tiny", tmp_path / "dl", mirrors=[slow.url], **FAST)
    assert time.monotonic() - started < 4


def test_part_files_of_killed_downloads_are_removed_by_the_next(tiny, tmp_path):
    """Before: a killed download's hidden .part file survived every later run."""
    target = tmp_path / "dl"
    target.mkdir()
    dead = target / f".train-images-idx3-ubyte.gz.pid{2**22 + 9}-0a1b2c3d.part"
    alive = target / f".train-labels-idx1-ubyte.gz.pid{os.getppid()}-4e5f6a7b.part"
    for part in (dead, alive):
        part.write_bytes(b"half a download")
    with Mirror().serve("ok", tiny) as good:
        load_dataset("tiny", target, mirrors=[good.url], **FAST)
    assert not dead.exists() and alive.read_bytes() == b"half a download"


def test_sigterm_during_a_download_removes_its_part_file(tiny, tmp_path):
    """Before: SIGTERM left the .part file (only Ctrl-C removed it)."""
    target = tmp_path / "dl"
    with Mirror(delay=0.05).serve("trickle", tiny) as slow:
        process = subprocess.Popen(
            [sys.executable, "-m", "barenet", "data", "--data-dir", str(target), "--mirror",
             slow.url, "--no-bundled"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=child_env())
        for _ in range(200):
            if target.exists() and list(target.glob(".*.part")):
                break
            time.sleep(0.05)
        assert list(target.glob(".*.part")), "the download never started"
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 128 + signal.SIGTERM and b"Traceback" not in stderr
    assert not list(target.glob(".*.part")) if target.exists() else True


def test_credentials_in_a_mirror_url_are_never_echoed(tiny, tmp_path):
    """Before: the user name and password of a mirror URL were repeated in the error."""
    with pytest.raises(DataError) as caught:
        load_dataset("tiny", tmp_path / "dl", mirrors=["http://alice:s3cret@127.0.0.1:1/",
                                                       "http://bob:hunter2@[::1/"], **FAST)
    assert "s3cret" not in str(caught.value) and "hunter2" not in str(caught.value)
    assert "alice" not in str(caught.value) and "(an invalid mirror URL)" in str(caught.value)


# ---- a gzip bomb -----------------------------------------------------------------------------

def gzip_of_zeros(mib: int) -> bytes:
    """`mib` MiB of zeros, gzip-compressed (about 1 KB per MiB), made without holding them."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (1 << 20)
    return b"".join(deflate.compress(block) for _ in range(mib)) + deflate.flush()


@pytest.mark.parametrize("forged", [False, True])
def test_a_gzip_bomb_is_refused_without_allocating_it(tmp_path, forged):
    """Before: a 1.1 MB gzip inflating to 1.1 GiB was refused only after 2.1 GB of memory."""
    from barenet.data import idx

    bomb = gzip_of_zeros(100)  # 100 MiB in ~100 kB
    if forged:  # a trailer that lies about the size: not trusted, the inflation stops
        bomb = bomb[:-4] + (1000).to_bytes(4, "little")
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.write_bytes(bomb)
    tracemalloc.start()
    try:
        with pytest.raises(DataError, match="inflates to more than 67,108,864 bytes"):
            idx.read_idx_bytes(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 70 << 20, peak  # the limit (64 MiB), not the bomb (100 MiB; 1 GiB before)
    assert gzip.decompress(gzip.compress(b"ok")) == b"ok"


# ---- gradcheck, predict --show ---------------------------------------------------------------

def test_gradcheck_refuses_a_network_too_large_for_memory(capsys):
    """Before: --hidden 100000,100000 -> a 74.5 GiB allocation traceback."""
    assert main(["gradcheck", "--hidden", "100000,100000"]) == 1
    line = one_line(capsys)
    assert "a gradient check of 6-100000-100000-3 needs about" in line and "smaller --hidden" in line


def test_gradcheck_samples_entries_by_default_on_a_large_network(capsys):
    """Before: every entry of a large network by default (5.6 M entries, about 5 hours)."""
    started = time.monotonic()
    assert main(["gradcheck", "--hidden", "300,60", "--no-progress"]) == 0
    assert time.monotonic() - started < 10
    assert "note: 20,343 parameters: checking 20 random entries" in capsys.readouterr().err


def test_predict_show_on_many_images_draws_a_bounded_figure(tmp_path, mnist_slice_dir, capsys):
    """Before: 300 images with --show: 124 s and 585 MB (the figure grew faster than its rows)."""
    from PIL import Image

    from barenet.cli.predict import SHOW_LIMIT
    from model_fixtures import train_tiny

    model = tmp_path / "m.safetensors"
    train_tiny(model, mnist_slice_dir, epochs=1)
    pixels = np.zeros((28, 28), np.uint8)
    pixels[5:23, 12:16] = 255
    images = []
    for i in range(SHOW_LIMIT + 6):
        images.append(tmp_path / f"d{i}.png")
        Image.fromarray(pixels).save(images[-1])
    started = time.monotonic()
    assert main(["predict", str(model), *map(str, images), "--show", str(tmp_path / "s.png")]) == 0
    assert time.monotonic() - started < 20
    captured = capsys.readouterr()
    assert f"--show draws the first {SHOW_LIMIT} of the {SHOW_LIMIT + 6} images" in captured.err
    assert len(captured.out.splitlines()) == SHOW_LIMIT + 6
    with Image.open(tmp_path / "s.png") as figure:
        assert figure.height <= 100 * (2.5 * SHOW_LIMIT + 0.3) + 1


# ---- depth: what train writes, every reader reads ---------------------------------------------

def test_the_deepest_network_a_run_may_build_is_a_model_file_every_reader_loads(tmp_path):
    """Before: train wrote networks deeper than the loader's limit (info, predict, --resume then
    refused them), and 30,000 hidden layers were accepted."""
    config = TrainingConfig(hidden=[2] * MAX_HIDDEN_LAYERS, batchnorm=True, dropout=0.1, loss="mse",
                            augment=[])
    config.validate()
    model = build(config, 4, 3)[0]
    saved = modelfile.save(tmp_path / "deep.safetensors", modelfile.TrainedModel(
        model, config=config.to_dict(), class_names=["a", "b", "c"], history=History()))
    assert len(modelfile.load(saved).model.layers) == len(model.layers)
    with pytest.raises(ConfigError, match=f"hidden has 30,000 layers, more than the {MAX_HIDDEN_LAYERS}"):
        config.replace(hidden=[2] * 30_000).validate()


def test_train_refuses_30000_hidden_layers_in_one_line(tmp_path, capsys, mnist_slice_dir):
    assert main(["train", "--data-dir", str(mnist_slice_dir), "--hidden", ",".join(["2"] * 30_000),
                 "--out", str(tmp_path / "m.safetensors")]) == 1
    line = one_line(capsys)
    assert "hidden has 30,000 layers" in line and len(line) < 300
    assert list(tmp_path.iterdir()) == []


def test_idx_files_listed_are_those_whose_sizes_are_known():
    assert {name.removesuffix(".gz") for name in IDX_FILES.values()} == set(download.CONTENT_SIZES)
