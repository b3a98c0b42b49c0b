"""Data a user brings: a small custom set trains with the defaults, the popular CSV copy of MNIST
is recognised by its file names, and the message for missing files names the CSV layout."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys

import numpy as np
import pytest

from barenet.data import load_dataset
from barenet.data.idx import write_idx
from barenet.errors import DataError
from barenet.experiment.splits import validation_size
from data_helpers import closed_port_url, snapshot, tiny_arrays
from test_data_csv import csv_text


def test_validation_size_rule():
    assert validation_size(5000, 60_000) == (5000, None)  # MNIST: the default as it is
    assert validation_size(5000, 10_000) == (5000, None)  # half or less: as it is
    size, note = validation_size(5000, 1000)  # more than half of a small set: 1/12 of it
    assert size == 83 and "1,000 training images: 83 (1/12) held out" in note
    assert validation_size(600, 1000) == (600, None)  # a size the user chose is theirs
    assert validation_size(0, 1000) == (0, None)


@pytest.mark.slow
def test_a_custom_set_of_1000_images_trains_with_the_defaults(tmp_path, mnist):
    """Before: 'validation size 5000 must be at least 0 and less than the 1000 training samples'."""
    data = tmp_path / "small"
    data.mkdir()
    write_idx(data / "train-images-idx3-ubyte", mnist.train_images[:1000])
    write_idx(data / "train-labels-idx1-ubyte", mnist.train_labels[:1000].astype(np.uint8))
    write_idx(data / "t10k-images-idx3-ubyte", mnist.test_images[:200])
    write_idx(data / "t10k-labels-idx1-ubyte", mnist.test_labels[:200].astype(np.uint8))
    before = snapshot(data)
    out = tmp_path / "model.safetensors"
    result = subprocess.run([sys.executable, "-m", "barenet", "train", "--data-dir", str(data),
                             "--out", str(out), "--quiet", "--no-plot"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "1,000 training images: 83 (1/12) held out for validation instead of 5,000" in result.stdout
    assert "917 train, 83 validation, 200 test" in result.stdout
    assert out.is_file() and snapshot(data) == before


@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_the_popular_csv_copy_of_mnist_is_recognised(tmp_path, monkeypatch, suffix):
    monkeypatch.delenv("BARENET_DATA_DIR", raising=False)
    arrays = tiny_arrays(n_train=12, n_test=5)
    for split in ("train", "test"):
        text = csv_text(arrays[f"{split}_images"], arrays[f"{split}_labels"]).encode()
        (tmp_path / f"mnist_{split}.csv{suffix}").write_bytes(gzip.compress(text) if suffix else text)
    before = snapshot(tmp_path)
    ds = load_dataset("mnist", tmp_path, download=False)
    assert ds.source == "csv" and not ds.canonical
    np.testing.assert_array_equal(ds.train_images, arrays["train_images"])
    np.testing.assert_array_equal(ds.test_labels, arrays["test_labels"])
    assert snapshot(tmp_path) == before


def test_half_a_csv_pair_is_one_line(tmp_path, monkeypatch):
    monkeypatch.delenv("BARENET_DATA_DIR", raising=False)
    arrays = tiny_arrays(n_train=12, n_test=5)
    (tmp_path / "mnist_train.csv").write_text(csv_text(arrays["train_images"], arrays["train_labels"]))
    with pytest.raises(DataError, match="mnist_train.csv is there but not mnist_test.csv; put both "
                                        r"CSV files \(label,pixel0,...,pixel783 per row\)"):
        load_dataset("mnist", tmp_path, download=False)


HINT = ("CSV works too: train.csv and test.csv, or mnist_train.csv and mnist_test.csv, "
        "label,pixel0,...,pixel783 per row")


def test_files_not_found_mentions_the_csv_layout(tmp_path, monkeypatch):
    monkeypatch.delenv("BARENET_DATA_DIR", raising=False)
    with pytest.raises(DataError) as without_download:
        load_dataset("mnist", tmp_path, download=False)
    with pytest.raises(DataError) as no_network:
        load_dataset("mnist", tmp_path / "dl", mirrors=[closed_port_url()], timeout=5.0, retries=0,
                     backoff=0.0, progress=False)
    for raised in (without_download, no_network):
        assert str(raised.value).endswith(HINT) and "\n" not in str(raised.value)
    with pytest.raises(DataError, match=r"fashion-mnist_train\.csv and fashion-mnist_test\.csv"):
        load_dataset("fashion-mnist", tmp_path, download=False)


def test_a_data_file_that_is_a_fifo_or_device_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "train.csv"
    os.mkfifo(fifo)
    code = ("import sys; from barenet.data.csv_import import load_csv; from barenet.errors import "
            "DataError\nfor p in sys.argv[1:]:\n    try: load_csv(p)\n    except DataError as e: "
            "print(e)")
    result = subprocess.run([sys.executable, "-c", code, str(fifo), "/dev/zero"],
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.splitlines() == [
        f"{fifo}: is a FIFO (named pipe), not a regular file; put the dataset's file there",
        "/dev/zero: is a character device, not a regular file; put the dataset's file there"]


def test_a_gzip_bomb_and_a_huge_file_are_refused_by_size(tmp_path, monkeypatch):
    from barenet.data import idx

    monkeypatch.setattr(idx, "DATA_LIMIT", 10_000)
    bomb = tmp_path / "train-images-idx3-ubyte.gz"
    bomb.write_bytes(gzip.compress(b"\0" * 50_000))  # 10 GB of zeros in 10 MB, scaled down
    with pytest.raises(DataError, match="inflates to more than 10,000 bytes"):
        idx.read_idx_bytes(bomb)
    huge = tmp_path / "train-labels-idx1-ubyte"
    with open(huge, "wb") as handle:
        handle.truncate(10_001)  # sparse: nothing read, refused by its size
    with pytest.raises(DataError, match="is 10,001 bytes, more than the limit of 10,000"):
        idx.read_idx_bytes(huge)
