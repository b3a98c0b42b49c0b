"""CSV import of the common `label,pixel0,...,pixel783` layout (Kaggle's MNIST, pjreddie's CSVs).

One row per image: an integer label, then H·W integer pixel values 0..255, row-major. A header
row is optional: the first line is a header when its first field is not an integer. `.csv.gz`
files are read too. Checks, each a one-line `DataError` naming the file and the row: column
count (1 + H·W; a file of only pixels, like Kaggle's unlabelled `test.csv`, is refused), integer
values, pixel range 0..255, label range 0..n_classes−1, at least one row.

How it plugs in: `load_dataset(name, data_dir)` reads a directory holding `train.csv` and
`test.csv` (and none of the IDX files) with `load_csv_dataset`; a single file is read with
`load_csv`.

    load_csv(path, n_classes=10, image_shape=(28, 28)) -> (images, labels)
                                        images (N, 28, 28) uint8, labels (N,) int64
    load_csv_dataset(train_csv, test_csv, name=..., class_names=...) -> Dataset
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from barenet.data.checksums import UNVERIFIED, sha256_hex
from barenet.data.idx import gunzip, is_gzip, read_raw
from barenet.errors import DataError

FIX = "fix the file or export it again as label,pixel0,...,pixel783"


def load_csv(
    path: str | os.PathLike, n_classes: int = 10, image_shape: tuple[int, int] = (28, 28)
) -> tuple[np.ndarray, np.ndarray]:
    """Read one CSV file: images (N, H, W) uint8 and labels (N,) int64, both read-only."""
    path = Path(path)
    text = _read_text(path)
    lines = text.splitlines()
    first = lines[0].split(",", 1)[0].strip().strip('"') if lines else ""
    header = 0 if re.fullmatch(r"[+-]?\d+", first) else 1
    n_rows = sum(1 for line in lines[header:] if line.strip())
    if n_rows == 0:
        raise DataError(f"{path}: no data rows (empty file or header only); {FIX}")
    n_pixels = image_shape[0] * image_shape[1]
    columns = 1 + n_pixels
    widths = {line.count(",") + 1 for line in lines[header:] if line.strip()}
    if widths != {columns}:
        row = next(
            i + header + 1
            for i, line in enumerate(lines[header:])
            if line.strip() and line.count(",") + 1 != columns
        )
        found = lines[row - 1].count(",") + 1
        hint = (
            "; it looks like pixels without labels (e.g. Kaggle's test.csv), which cannot be "
            "used to train or evaluate"
            if found == n_pixels
            else ""
        )
        raise DataError(
            f"{path}: line {row} has {found} columns, expected {columns} "
            f"(label + {n_pixels} pixels){hint}; {FIX}"
        )
    try:
        table = np.loadtxt(
            io.StringIO(text), delimiter=",", dtype=np.int64, skiprows=header, ndmin=2
        )  # (N, 1 + H·W)
    except ValueError as exc:
        detail = str(exc).splitlines()[0] if str(exc) else "not an integer"
        raise DataError(f"{path}: a value is not an integer ({detail}); {FIX}") from None
    labels, pixels = table[:, 0], table[:, 1:]
    lo, hi = int(pixels.min()), int(pixels.max())
    if lo < 0 or hi > 255:
        bad = lo if lo < 0 else hi
        row = int(np.flatnonzero((pixels == bad).any(axis=1))[0]) + header + 1
        raise DataError(f"{path}: line {row} has pixel value {bad}, outside 0..255; {FIX}")
    lo, hi = int(labels.min()), int(labels.max())
    if lo < 0 or hi >= n_classes:
        bad = lo if lo < 0 else hi
        row = int(np.flatnonzero(labels == bad)[0]) + header + 1
        raise DataError(
            f"{path}: line {row} has label {bad}, outside 0..{n_classes - 1}; {FIX}"
        )
    images = pixels.astype(np.uint8).reshape(len(table), *image_shape)  # (N, H·W) -> (N, H, W)
    labels = labels.copy()
    images.flags.writeable = False
    labels.flags.writeable = False
    return images, labels


def _read_text(path: Path) -> str:
    raw = read_raw(path, FIX)
    if is_gzip(raw):
        raw = gunzip(raw, path, FIX)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f"{path}: not a text file (not UTF-8); {FIX}") from None


def load_csv_dataset(
    train_csv: str | os.PathLike,
    test_csv: str | os.PathLike,
    *,
    name: str = "csv",
    class_names: Sequence[str] = tuple(str(d) for d in range(10)),
    image_shape: tuple[int, int] = (28, 28),
):
    """A `Dataset` from two CSV files (never canonical; sha256 is of each file's bytes)."""
    from barenet.data.datasets import Dataset, FileReport

    train_csv, test_csv = Path(train_csv), Path(test_csv)
    arrays, reports = {}, {}
    for split, path in (("train", train_csv), ("test", test_csv)):
        images, labels = load_csv(path, len(class_names), image_shape)
        arrays[split] = (images, labels)
        digest = sha256_hex(path.read_bytes())
        reports[f"{split}_images"] = FileReport(f"{split}_images", path, UNVERIFIED, digest,
                                                images.shape)
        reports[f"{split}_labels"] = FileReport(f"{split}_labels", path, UNVERIFIED, digest,
                                                labels.shape)
    return Dataset(
        name=name,
        directory=train_csv.parent.absolute(),
        train_images=arrays["train"][0],
        train_labels=arrays["train"][1],
        test_images=arrays["test"][0],
        test_labels=arrays["test"][1],
        class_names=list(class_names),
        canonical=False,
        sha256={train_csv.name: reports["train_images"].sha256,
                test_csv.name: reports["test_images"].sha256},
        notes=[
            f"note: {train_csv.parent} holds CSV files, not the canonical IDX files; it loads, "
            "but results are not comparable with published figures"
        ],
        files=reports,
        source="csv",
    )
