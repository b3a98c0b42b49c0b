"""Real MNIST digits, photographed (see photo_digits.py), must come back as themselves.

MNIST digits are already what `prepare_image` produces — fitted into a 20×20 box and centred by
centre of mass in 28×28 — so a faithful pipeline turns a photo of one (inverted to dark ink on
light paper, enlarged 3–15×, off-centre on a bigger page, paper noise, PNG or JPEG) back into
nearly the same 28×28 digit. For scale: moving an MNIST digit by one pixel changes it by a mean
absolute difference of 0.065, and two different digits of the same class differ by about 0.13.
"""

from __future__ import annotations

import numpy as np
import pytest

from barenet.digits import prepare_image
from photo_digits import FORMATS, load_mnist, photo_files, write_photos

ROWS = np.arange(28)


def centres_of_mass(x: np.ndarray) -> np.ndarray:
    """x: (n, 28, 28) -> (n, 2) centre of mass (row, column) in pixel-index coordinates."""
    mass = x.sum(axis=(1, 2))
    return np.stack([x.sum(axis=2) @ ROWS / mass, x.sum(axis=1) @ ROWS / mass], axis=1)


def boxes(x: np.ndarray) -> np.ndarray:
    """x: (n, 28, 28) -> (n, 2) height and width of the bounding box of the non-zero pixels."""
    rows, cols = x.any(axis=2), x.any(axis=1)  # (n, 28) each
    height = 28 - rows[:, ::-1].argmax(axis=1) - rows.argmax(axis=1)
    width = 28 - cols[:, ::-1].argmax(axis=1) - cols.argmax(axis=1)
    return np.stack([height, width], axis=1)


def photographed(digits: np.ndarray, seed: int) -> np.ndarray:
    """Photo files of digits (n, 28, 28), in memory, read back by prepare_image: (n, 28, 28)."""
    files = photo_files(digits, np.random.default_rng(seed))
    return np.stack([prepare_image(data).pixels for _, data in files])


@pytest.fixture(scope="module")
def originals_and_photos() -> tuple[np.ndarray, np.ndarray]:
    digits = load_mnist("t10k", 120)[0]
    return digits, photographed(digits, seed=0)


def test_photo_files_on_disk(tmp_path):
    """write_photos saves the same set as files, for benchmarks and manual looks."""
    digits = load_mnist("t10k", 4)[0]
    paths = write_photos(digits, tmp_path, np.random.default_rng(0))
    assert [p.suffix for p in paths] == [".png", ".jpg", ".png", ".jpg"]
    again = np.stack([prepare_image(p).pixels for p in paths])
    np.testing.assert_array_equal(again, photographed(digits, seed=0))


def test_photos_come_back_close_to_the_original_digits(originals_and_photos):
    originals, photos = originals_and_photos
    difference = np.abs(photos - originals).mean(axis=(1, 2))  # (n,) mean absolute difference
    # measured: mean 0.030, median 0.027, 90th percentile 0.05, worst about 0.13
    assert difference.mean() < 0.04
    assert np.median(difference) < 0.035
    assert np.percentile(difference, 90) < 0.07
    for i, fmt in enumerate(FORMATS):  # photos cycle through the formats
        assert difference[i :: len(FORMATS)].mean() < 0.04, fmt


def test_photos_keep_the_size_and_place_of_the_original_digits(originals_and_photos):
    originals, photos = originals_and_photos
    assert np.all(np.abs(centres_of_mass(photos) - 14.0) <= 0.5 + 1e-4)
    assert np.all(boxes(photos).max(axis=1) == 20)
    box_change = np.abs(boxes(photos) - boxes(originals))  # (n, 2)
    assert box_change.max() <= 2 and box_change.mean() < 0.5


def softmax_regression(x: np.ndarray, y: np.ndarray, epochs: int = 150, lr: float = 0.5):
    """A stand-in model: multinomial logistic regression by full-batch gradient descent.

    x: (n, 784) float32, y: (n,) int. Returns W (784, 10), b (10,). The gradient of the mean
    cross-entropy of softmax(x @ W + b) with respect to the logits is (p − onehot(y)) / n.
    """
    n = len(x)
    W = np.zeros((784, 10), dtype=np.float32)
    b = np.zeros(10, dtype=np.float32)
    onehot = np.eye(10, dtype=np.float32)[y]  # (n, 10)
    for _ in range(epochs):
        z = x @ W + b  # (n, 10)
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        delta = (p - onehot) / n
        W -= lr * (x.T @ delta)
        b -= lr * delta.sum(axis=0)
    return W, b


@pytest.mark.slow
def test_a_model_reads_photos_as_well_as_the_originals():
    """Stand-in for the trained barenet model: accuracy on photos within 1.5 points of originals."""
    train_x, train_y = load_mnist("train", 5000)
    W, b = softmax_regression(train_x.reshape(-1, 784), train_y)
    test_x, test_y = load_mnist("t10k", 1000)
    photos = photographed(test_x, seed=1)

    def accuracy(x: np.ndarray) -> float:
        return float(((x.reshape(-1, 784) @ W + b).argmax(axis=1) == test_y).mean())

    on_originals, on_photos = accuracy(test_x), accuracy(photos)
    print(f"stand-in accuracy: originals {on_originals:.3f}, photos {on_photos:.3f}")
    assert on_originals > 0.85  # the stand-in learned something
    assert abs(on_photos - on_originals) <= 0.015
