"""The CSV format `label,pixel0,...,pixel783` (Kaggle's MNIST, pjreddie's CSVs): read and check.

A format reader like `idx.py`: it knows bytes and rows, not datasets (`datasets.py` turns two
CSV files into a `Dataset`).

One row per image: an integer label, then H·W integer pixel values 0..255, row-major. A header
row is optional: the first line is a header when its first field is not an integer. `.csv.gz`
files are read too. Checks, each a one-line `DataError` naming the file and the row: column
count (1 + H·W; a file of only pixels, like Kaggle's unlabelled `test.csv`, is refused), integer
values, pixel range 0..255, label range 0..n_classes−1, at least one row.

    read_csv_bytes(path) -> bytes       the file's content, gunzipped if it is gzip (what a
                                        `Dataset`'s SHA-256 covers, as for IDX files)
    parse_csv(content, path, n_classes=10, image_shape=(28, 28)) -> (images, labels)
    load_csv(path, n_classes=10, image_shape=(28, 28)) -> (images, labels)
                                        images (N, 28, 28) uint8, labels (N,) int64, read-only
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import numpy as np

from barenet.data.idx import gunzip, is_gzip, read_raw
from barenet.errors import DataError
from barenet.i18n import _


def fix() -> str:
    """The fix every message about a bad CSV file ends with."""
    return _("fix the file or export it again as label,pixel0,...,pixel783")


def load_csv(
    path: str | os.PathLike, n_classes: int = 10, image_shape: tuple[int, int] = (28, 28)
) -> tuple[np.ndarray, np.ndarray]:
    """Read one CSV file: images (N, H, W) uint8 and labels (N,) int64, both read-only."""
    return parse_csv(read_csv_bytes(path), path, n_classes, image_shape)


def read_csv_bytes(path: str | os.PathLike) -> bytes:
    """The content of a CSV file: its bytes, gunzipped when they are gzip (by magic bytes)."""
    raw = read_raw(path, fix())
    return gunzip(raw, Path(path), fix()) if is_gzip(raw) else raw


def parse_csv(
    content: bytes,
    path: str | os.PathLike = "<bytes>",
    n_classes: int = 10,
    image_shape: tuple[int, int] = (28, 28),
) -> tuple[np.ndarray, np.ndarray]:
    """CSV content -> images (N, H, W) uint8 and labels (N,) int64, read-only, after every check."""
    path = Path(path)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(_("{path}: not a text file (not UTF-8); {fix}").format(path=path,
                                                                                fix=fix())) from None
    lines = text.splitlines()
    first = lines[0].split(",", 1)[0].strip().strip('"') if lines else ""
    header = 0 if re.fullmatch(r"[+-]?\d+", first) else 1
    n_pixels = image_shape[0] * image_shape[1]
    _check_columns(lines, header, n_pixels, path)
    try:
        table = np.loadtxt(
            io.StringIO(text), delimiter=",", dtype=np.int64, skiprows=header, ndmin=2
        )  # (N, 1 + H·W)
    except ValueError as exc:
        detail = str(exc).splitlines()[0] if str(exc) else "not an integer"
        raise DataError(_("{path}: a value is not an integer ({detail}); {fix}").format(
                            path=path, detail=detail, fix=fix())) from None
    labels, pixels = table[:, 0], table[:, 1:]
    _check_range(pixels, 0, 255, header, path, _("pixel value"), "0..255")
    _check_range(labels, 0, n_classes - 1, header, path, _("label"), f"0..{n_classes - 1}")
    images = pixels.astype(np.uint8).reshape(len(table), *image_shape)  # (N, H·W) -> (N, H, W)
    labels = labels.copy()
    images.flags.writeable = False
    labels.flags.writeable = False
    return images, labels


def _check_columns(lines: list[str], header: int, n_pixels: int, path: Path) -> None:
    """At least one data row, and every one of 1 + n_pixels columns (DataError naming the line)."""
    rows = [(i + header + 1, line) for i, line in enumerate(lines[header:]) if line.strip()]
    if not rows:
        raise DataError(_("{path}: no data rows (empty file or header only); {fix}").format(
                            path=path, fix=fix()))
    columns = 1 + n_pixels
    for number, line in rows:
        found = line.count(",") + 1
        if found != columns:
            hint = (
                _("; it looks like pixels without labels (e.g. Kaggle's test.csv), which cannot "
                  "be used to train or evaluate")
                if found == n_pixels
                else ""
            )
            raise DataError(
                _("{path}: line {number} has {found} columns, expected {columns} (label + "
                  "{n_pixels} pixels){hint}; {fix}").format(
                    path=path, number=number, found=found, columns=columns, n_pixels=n_pixels,
                    hint=hint, fix=fix())
            )


def _check_range(values: np.ndarray, lo: int, hi: int, header: int, path: Path, what: str,
                 allowed: str) -> None:
    """Every value of `values` ((N,) or (N, P), one row per line) in lo..hi, else the first line."""
    low, high = int(values.min()), int(values.max())
    if low >= lo and high <= hi:
        return
    bad = low if low < lo else high
    hits = values == bad
    row = int(np.flatnonzero(hits.any(axis=1) if hits.ndim == 2 else hits)[0]) + header + 1
    raise DataError(_("{path}: line {row} has {what} {bad}, outside {allowed}; {fix}").format(
                        path=path, row=row, what=what, bad=bad, allowed=allowed, fix=fix()))
