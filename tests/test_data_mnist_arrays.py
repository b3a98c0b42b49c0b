"""`barenet.load_mnist`: the four arrays in every combination of its flags, offline, from MNIST."""

from __future__ import annotations

import socket
import subprocess
import sys

import numpy as np
import pytest

import barenet
from barenet.data.mnist_arrays import load_mnist
from barenet.errors import DataError
from data_helpers import MNIST_TRAIN_COUNTS, write_tiny_dataset


@pytest.mark.parametrize("flatten", [True, False])
def test_normalized_float32_in_unit_interval(mnist, flatten):
    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, flatten=flatten)
    shape = (784,) if flatten else (1, 28, 28)
    assert x_train.shape == (60000, *shape) and x_test.shape == (10000, *shape)
    assert x_train.dtype == x_test.dtype == np.float32
    assert x_train.min() == 0.0 and x_train.max() == 1.0
    # x · 255 gives back the very pixels of the verified dataset, in row-major order
    np.testing.assert_array_equal(np.rint(x_test * 255).reshape(10000, 28, 28), mnist.test_images)
    assert t_train.shape == (60000,) and t_train.dtype == np.int64
    assert np.bincount(t_train).tolist() == MNIST_TRAIN_COUNTS
    np.testing.assert_array_equal(t_test, mnist.test_labels)


@pytest.mark.parametrize("flatten", [True, False])
def test_raw_uint8_pixels(mnist, flatten):
    (x_train, _), (x_test, _) = load_mnist(normalize=False, flatten=flatten)
    shape = (784,) if flatten else (1, 28, 28)
    assert x_train.shape == (60000, *shape) and x_train.dtype == np.uint8
    assert x_train.max() == 255
    np.testing.assert_array_equal(x_test.reshape(10000, 28, 28), mnist.test_images)
    np.testing.assert_array_equal(x_train[:5].reshape(5, 28, 28), mnist.train_images[:5])


def test_one_hot_labels(mnist):
    (_, t_train), (_, t_test) = load_mnist(one_hot_label=True)
    assert t_train.shape == (60000, 10) and t_test.shape == (10000, 10)
    assert t_train.dtype == np.float32
    assert set(np.unique(t_train).tolist()) == {0.0, 1.0}
    np.testing.assert_array_equal(t_train.sum(axis=1), np.ones(60000, dtype=np.float32))
    np.testing.assert_array_equal(t_train.argmax(axis=1), mnist.train_labels)
    np.testing.assert_array_equal(t_test.argmax(axis=1), mnist.test_labels)


def test_arrays_are_writable_copies():
    """The dataset's arrays are read-only views; a learner gets arrays of their own."""
    for normalize in (False, True):
        (x_train, t_train), (x_test, t_test) = load_mnist(normalize=normalize, flatten=False)
        for array in (x_train, t_train, x_test, t_test):
            assert array.flags.writeable
        x_train[0] = 0  # must not raise "assignment destination is read-only"


def test_bundled_copy_offline(monkeypatch):
    """No BARENET_DATA_DIR and no network: the copy inside the package is used."""
    monkeypatch.delenv("BARENET_DATA_DIR", raising=False)

    def no_network(*args, **kwargs):
        raise AssertionError("load_mnist tried to open a network connection")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    (x_train, t_train), (x_test, _) = load_mnist()
    assert x_train.shape == (60000, 784) and x_test.shape == (10000, 784)
    assert np.bincount(t_train).tolist() == MNIST_TRAIN_COUNTS


def test_data_dir_not_canonical_warns(tmp_path):
    arrays = write_tiny_dataset(tmp_path, n_train=30, n_test=10)
    with pytest.warns(UserWarning, match="does not hold the canonical MNIST"):
        (x_train, _), (_, t_test) = load_mnist(normalize=False, data_dir=tmp_path)
    np.testing.assert_array_equal(x_train.reshape(30, 28, 28), arrays["train_images"])
    np.testing.assert_array_equal(t_test, arrays["test_labels"])


def test_missing_files_are_one_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("BARENET_DATA_DIR", str(tmp_path))
    with pytest.raises(DataError, match=r"missing train-images-idx3-ubyte\.gz"):
        load_mnist()
    assert list(tmp_path.iterdir()) == []  # nothing was downloaded or written


def test_exported_at_top_level():
    assert barenet.load_mnist is load_mnist
    assert "load_mnist" in barenet.__all__


def test_does_not_import_the_engine():
    """Loading data needs no network code: the module's imports never reach barenet.nn.

    barenet/__init__.py is replaced by an empty package so that only this module's own imports
    (and theirs) are followed.
    """
    code = (
        "import importlib.util, sys, types\n"
        "package = types.ModuleType('barenet')\n"
        "package.__path__ = importlib.util.find_spec('barenet').submodule_search_locations\n"
        "sys.modules['barenet'] = package\n"
        "import barenet.data.mnist_arrays\n"
        "print(sorted(m for m in sys.modules if m.startswith('barenet.nn')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
