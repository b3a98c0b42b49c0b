"""Datasets by name: where files are looked for, verification, and what a loaded Dataset holds."""

from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path

import numpy as np
import pytest

from barenet.data import DATASETS, Dataset, load_dataset, locate, resolve_data_dir
from barenet.data.checksums import MNIST_CHECKSUMS
from barenet.data.datasets import IDX_FILES, cache_dir
from barenet.data.idx import encode_idx, write_idx
from barenet.errors import DataError
from data_helpers import (
    BUNDLED_MNIST,
    MNIST_TRAIN_COUNTS,
    SHARED_MNIST,
    replace_spec,
    snapshot,
    tiny_spec,
    write_tiny_dataset,
)

MNIST_TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No BARENET_DATA_DIR, and a user cache inside tmp_path."""
    monkeypatch.delenv("BARENET_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path


def assert_canonical_mnist(ds: Dataset):
    assert ds.train_images.shape == (60000, 28, 28) and ds.train_images.dtype == np.uint8
    assert ds.test_images.shape == (10000, 28, 28) and ds.test_images.dtype == np.uint8
    assert ds.train_labels.shape == (60000,) and ds.test_labels.shape == (10000,)
    assert ds.train_labels.dtype == np.int64
    assert np.bincount(ds.train_labels).tolist() == MNIST_TRAIN_COUNTS
    assert np.bincount(ds.test_labels).tolist() == MNIST_TEST_COUNTS
    assert ds.canonical and ds.notes == []
    # keys are the names of the files as found (".gz" or not)
    assert sorted(ds.sha256.values()) == sorted(c.hexdigest for c in MNIST_CHECKSUMS.values())
    assert ds.class_names == [str(d) for d in range(10)]
    assert all(r.status == "verified" for r in ds.files.values())


# --- the real MNIST, bundled and shared -----------------------------------------------------


def test_bundled_mnist_with_no_setting(clean_env):
    ds = load_dataset("mnist", download=False)
    assert ds.source == "bundled"
    assert ds.directory == BUNDLED_MNIST.resolve()
    assert_canonical_mnist(ds)
    assert ds.sha256 == {name: c.hexdigest for name, c in MNIST_CHECKSUMS.items()}
    assert not ds.train_images.flags.writeable and not ds.train_labels.flags.writeable


@pytest.mark.skipif(not SHARED_MNIST.is_dir(), reason="../shared/data/mnist not present")
def test_shared_mnist_from_the_environment_variable(clean_env, monkeypatch):
    monkeypatch.setenv("BARENET_DATA_DIR", str(SHARED_MNIST))
    ds = load_dataset("mnist", download=False)
    assert ds.source == "environment" and ds.directory == SHARED_MNIST
    assert_canonical_mnist(ds)


def test_bundled_content_matches_canonical_sha256():
    for name, checksum in MNIST_CHECKSUMS.items():
        content = gzip.decompress((BUNDLED_MNIST / name).read_bytes())
        assert hashlib.sha256(content).hexdigest() == checksum.hexdigest


# --- where the files are looked for ---------------------------------------------------------


def test_precedence_argument_then_environment_then_bundled_then_cache(clean_env, monkeypatch):
    tmp = clean_env
    assert locate("mnist") == (BUNDLED_MNIST.resolve(), "bundled")
    assert locate("fashion-mnist") == (tmp / "cache" / "barenet" / "fashion-mnist", "cache")
    assert locate("mnist", use_bundled=False) == (tmp / "cache" / "barenet" / "mnist", "cache")
    monkeypatch.setenv("BARENET_DATA_DIR", str(tmp / "env"))
    assert locate("mnist") == (tmp / "env", "environment")
    assert locate("mnist", tmp / "arg") == (tmp / "arg", "argument")
    assert resolve_data_dir("mnist", tmp / "arg") == tmp / "arg"


def test_relative_data_dir_becomes_absolute(clean_env, monkeypatch):
    monkeypatch.chdir(clean_env)
    assert resolve_data_dir("mnist", "rel") == clean_env / "rel"


def test_default_cache_is_under_home(monkeypatch, tmp_path):
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_dir("mnist") == tmp_path / ".cache" / "barenet" / "mnist"


def test_bundled_copy_incomplete_falls_back_to_cache(clean_env, monkeypatch):
    monkeypatch.setitem(DATASETS, "mnist", replace_spec(DATASETS["mnist"], bundled=clean_env))
    assert locate("mnist")[1] == "cache"


def test_unknown_dataset():
    with pytest.raises(DataError, match="unknown dataset 'cifar'; choose one of: mnist, fashion"):
        load_dataset("cifar")


# --- user-supplied directories --------------------------------------------------------------


def test_non_canonical_directory_loads_with_a_note(clean_env):
    directory = clean_env / "mine"
    arrays = write_tiny_dataset(directory)
    before = snapshot(directory)
    ds = load_dataset("mnist", directory, download=False)
    assert not ds.canonical
    assert len(ds.notes) == 1 and "\n" not in ds.notes[0]
    assert "not hold the canonical MNIST" in ds.notes[0] and str(directory) in ds.notes[0]
    assert {r.status for r in ds.files.values()} == {"not canonical"}
    np.testing.assert_array_equal(ds.train_images, arrays["train_images"])
    np.testing.assert_array_equal(ds.test_labels, arrays["test_labels"])
    assert ds.sha256["train-images-idx3-ubyte.gz"] == hashlib.sha256(
        encode_idx(arrays["train_images"])
    ).hexdigest()
    assert snapshot(directory) == before


def test_uncompressed_and_kaggle_names_are_found(clean_env):
    directory = clean_env / "plain"
    write_tiny_dataset(directory, gz=False)
    (directory / "train-images-idx3-ubyte").rename(directory / "train-images.idx3-ubyte")
    ds = load_dataset("mnist", directory, download=False)
    assert ds.files["train_images"].path.name == "train-images.idx3-ubyte"
    assert ds.files["test_labels"].path.name == "t10k-labels-idx1-ubyte"


def test_uncompressed_canonical_copy_verifies(clean_env):
    """The SHA-256 covers the content, so a decompressed MNIST verifies as well."""
    directory = clean_env / "plain-mnist"
    directory.mkdir()
    for name in IDX_FILES.values():
        content = gzip.decompress((BUNDLED_MNIST / name).read_bytes())
        (directory / name.removesuffix(".gz")).write_bytes(content)
    assert_canonical_mnist(load_dataset("mnist", directory, download=False))


def test_missing_files_without_download(clean_env):
    directory = clean_env / "partial"
    write_tiny_dataset(directory)
    (directory / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DataError, match=r"missing t10k-labels-idx1-ubyte\.gz of MNIST; put the"):
        load_dataset("mnist", directory, download=False)


def test_data_dir_that_is_a_file(clean_env):
    path = clean_env / "file"
    path.write_text("x")
    with pytest.raises(DataError, match="is a file, not a directory"):
        load_dataset("mnist", path, download=False)


def test_label_count_must_equal_image_count(clean_env):
    directory = clean_env / "mismatch"
    write_tiny_dataset(directory)
    write_idx(directory / "train-labels-idx1-ubyte.gz", np.zeros(29, np.uint8))
    with pytest.raises(DataError, match=r"29 labels for 30 images in train-images") as ei:
        load_dataset("mnist", directory, download=False)
    assert str(directory / "train-labels-idx1-ubyte.gz") in str(ei.value)


def test_wrong_image_size_in_a_dataset(clean_env):
    directory = clean_env / "small"
    write_tiny_dataset(directory)
    write_idx(directory / "t10k-images-idx3-ubyte.gz", np.zeros((10, 14, 14), np.uint8))
    with pytest.raises(DataError, match=r"t10k-images-idx3-ubyte\.gz: expected uint8 images of 28×28"):
        load_dataset("mnist", directory, download=False)


def test_label_out_of_range_in_a_dataset(clean_env):
    directory = clean_env / "labels"
    write_tiny_dataset(directory)
    write_idx(directory / "train-labels-idx1-ubyte.gz", np.full(30, 10, np.uint8))
    with pytest.raises(DataError, match="label value 10 is out of range"):
        load_dataset("mnist", directory, download=False)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda p: p.write_bytes(b""), "file is empty"),
        (lambda p: p.write_bytes(p.read_bytes()[:200]), "gzip stream is truncated"),
        (lambda p: p.write_bytes(b"not gzip at all"), "named .gz but not a gzip file"),
    ],
)
def test_broken_file_in_a_dataset_is_named_and_left_alone(clean_env, damage, message):
    directory = clean_env / "broken"
    write_tiny_dataset(directory)
    damage(directory / "train-images-idx3-ubyte.gz")
    before = snapshot(directory)
    with pytest.raises(DataError, match=message) as ei:
        load_dataset("mnist", directory, download=True)  # present, so never re-downloaded
    assert str(directory / "train-images-idx3-ubyte.gz") in str(ei.value)
    assert snapshot(directory) == before


def test_mnist_files_asked_for_as_fashion_mnist(clean_env):
    with pytest.raises(DataError, match="this is MNIST's train images file, not Fashion-MNIST's"):
        load_dataset("fashion-mnist", BUNDLED_MNIST, download=False)


def test_uncompressed_mnist_asked_for_as_fashion_mnist(clean_env):
    """Fashion-MNIST cannot verify an uncompressed file, but can still recognise MNIST's."""
    directory = clean_env / "plain"
    directory.mkdir()
    name = "t10k-labels-idx1-ubyte.gz"
    write_tiny_dataset(directory, gz=False)
    (directory / name[:-3]).write_bytes(gzip.decompress((BUNDLED_MNIST / name).read_bytes()))
    (directory / "t10k-images-idx3-ubyte").write_bytes(
        gzip.decompress((BUNDLED_MNIST / "t10k-images-idx3-ubyte.gz").read_bytes())
    )
    with pytest.raises(DataError, match="this is MNIST's test images file"):
        load_dataset("fashion-mnist", directory, download=False)


# --- the bundled copy and the cache must be canonical ---------------------------------------


def test_corrupt_bundled_copy_is_fatal(clean_env, monkeypatch):
    fake = clean_env / "bundled"
    write_tiny_dataset(fake)
    monkeypatch.setitem(DATASETS, "mnist", replace_spec(DATASETS["mnist"], bundled=fake))
    with pytest.raises(DataError, match=r"does not match the canonical MNIST .*reinstall barenet"):
        load_dataset("mnist")


def test_non_canonical_file_in_cache_is_fatal(clean_env):
    write_tiny_dataset(cache_dir("fashion-mnist"))
    with pytest.raises(DataError, match=r"MD5 of the \.gz file is .*delete it so that it is down"):
        load_dataset("fashion-mnist", download=False)


def test_gz_md5_checksums_verify_gz_and_cannot_verify_plain(clean_env, monkeypatch):
    directory = clean_env / "tiny"
    arrays = write_tiny_dataset(directory)
    monkeypatch.setitem(DATASETS, "tiny", tiny_spec(arrays, gz_md5=True))
    ds = load_dataset("tiny", directory, download=False)
    assert ds.canonical and {r.status for r in ds.files.values()} == {"verified"}
    plain = clean_env / "tiny-plain"
    write_tiny_dataset(plain, gz=False)
    ds = load_dataset("tiny", plain, download=False)
    assert not ds.canonical and {r.status for r in ds.files.values()} == {"unverified"}
    assert "unverified" in ds.notes[0]


def test_no_file_written_by_a_plain_load(clean_env):
    load_dataset("mnist", download=False)
    assert not (clean_env / "cache").exists()
    assert sorted(os.listdir(BUNDLED_MNIST)) == sorted(IDX_FILES.values())


def test_bundled_path_is_inside_the_package():
    import barenet.data

    assert BUNDLED_MNIST.resolve() == Path(barenet.data.__file__).resolve().parent / "mnist"
