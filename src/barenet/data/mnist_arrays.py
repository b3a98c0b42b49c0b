"""MNIST as four NumPy arrays, in the form learners know from *Deep Learning from Scratch*.

    >>> from barenet import load_mnist
    >>> (x_train, t_train), (x_test, t_test) = load_mnist()
    >>> x_train.shape, x_train.dtype, t_train.shape, t_train.dtype
    ((60000, 784), dtype('float32'), (60000,), dtype('int64'))

| argument        | True (default for the first two)         | False                             |
|-----------------|------------------------------------------|-----------------------------------|
| `normalize`     | float32 pixels in [0, 1]: x = pixel / 255 | uint8 pixels 0..255               |
| `flatten`       | (N, 784): one image per row              | (N, 1, 28, 28): channel, row, col |
| `one_hot_label` | (N, 10) float32, t[i, label_i] = 1       | (N,) int64 labels 0..9            |

N is 60,000 for the training set and 10,000 for the test set. The data is the copy bundled in the
package (or the directory named by `BARENET_DATA_DIR`, or `data_dir`), verified against MNIST's
canonical SHA-256 on every load; nothing is downloaded. The arrays returned are new, writable
copies: changing them cannot touch the verified data.

This is a thin layer over `barenet.data.load_dataset`, which also offers Fashion-MNIST, the CSV
layout, downloads and the checksum report; `barenet.data.prepare` offers standardisation, class
subsets and validation splits.
"""

from __future__ import annotations

import os
import warnings

import numpy as np

from barenet.data.datasets import load_dataset
from barenet.data.prepare import to_float01

MNIST_CLASSES = 10

Split = tuple[np.ndarray, np.ndarray]


def load_mnist(
    normalize: bool = True,
    flatten: bool = True,
    one_hot_label: bool = False,
    *,
    data_dir: str | os.PathLike | None = None,
) -> tuple[Split, Split]:
    """((x_train, t_train), (x_test, t_test)) of MNIST, offline, from the verified copy.

    normalize: True gives float32 x = pixel / 255 in [0, 1]; False the raw uint8 0..255.
    flatten: True gives x of shape (N, 784); False (N, 1, 28, 28).
    one_hot_label: True gives t of shape (N, 10) float32 with t[i, k] = 1 if image i is a k, else 0;
        False gives (N,) int64 labels.
    data_dir: a directory of the four MNIST IDX files; None uses `BARENET_DATA_DIR`, else the copy
        bundled in the package.
    Raises `barenet.errors.DataError` (one line naming the file and the fix) when the files are
    missing or damaged. A directory whose files are valid but not the canonical MNIST loads with a
    `UserWarning` saying so.
    """
    dataset = load_dataset("mnist", data_dir, download=False, progress=False)
    for note in dataset.notes:
        warnings.warn(note, UserWarning, stacklevel=2)
    train = (
        _images(dataset.train_images, normalize, flatten),
        _labels(dataset.train_labels, one_hot_label),
    )
    test = (
        _images(dataset.test_images, normalize, flatten),
        _labels(dataset.test_labels, one_hot_label),
    )
    return train, test


def _images(images: np.ndarray, normalize: bool, flatten: bool) -> np.ndarray:
    """(N, 28, 28) uint8 -> (N, 784) or (N, 1, 28, 28); float32 / 255 or uint8 (a copy)."""
    x = to_float01(images) if normalize else images.reshape(len(images), -1).copy()  # (N, 784)
    return x if flatten else x.reshape(len(images), 1, *images.shape[1:])  # (N, 1, 28, 28)


def _labels(labels: np.ndarray, one_hot: bool) -> np.ndarray:
    """(N,) int labels -> (N,) int64 copy, or (N, 10) float32 one-hot rows."""
    if not one_hot:
        return labels.astype(np.int64)  # astype copies
    t = np.zeros((len(labels), MNIST_CLASSES), dtype=np.float32)
    t[np.arange(len(labels)), labels] = 1.0
    return t
