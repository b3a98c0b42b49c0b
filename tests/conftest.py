"""Shared fixtures: a small slice of MNIST written as IDX files, for fast end-to-end runs."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from barenet.data import load_dataset
from barenet.data.idx import write_idx

# scikit-learn's estimator checks run their array-API check only when SciPy saw this at import.
os.environ.setdefault("SCIPY_ARRAY_API", "1")


@pytest.fixture(scope="session")
def mnist():
    """The full MNIST dataset (from BARENET_DATA_DIR if set, else the bundled copy)."""
    return load_dataset("mnist", progress=False)


@pytest.fixture(scope="session")
def mnist_slice_dir(tmp_path_factory, mnist) -> Path:
    """A directory of IDX files holding the first 3000 training and 1000 test images of MNIST."""
    directory = tmp_path_factory.mktemp("mnist-slice")
    write_idx(directory / "train-images-idx3-ubyte", mnist.train_images[:3000])
    write_idx(directory / "train-labels-idx1-ubyte", mnist.train_labels[:3000].astype(np.uint8))
    write_idx(directory / "t10k-images-idx3-ubyte", mnist.test_images[:1000])
    write_idx(directory / "t10k-labels-idx1-ubyte", mnist.test_labels[:1000].astype(np.uint8))
    return directory


@pytest.fixture(scope="module")
def digit_png(tmp_path_factory) -> Path:
    """A 28×28 PNG of a drawn "1" (a white bar on black): an image every reading command accepts."""
    from PIL import Image

    pixels = np.zeros((28, 28), np.uint8)
    pixels[5:23, 12:16] = 255
    path = tmp_path_factory.mktemp("digit") / "one.png"
    Image.fromarray(pixels).save(path)
    return path
