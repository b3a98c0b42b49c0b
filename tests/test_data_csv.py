"""CSV import of label,pixel0,...,pixel783, checked like the IDX files."""

from __future__ import annotations

import gzip
import hashlib

import numpy as np
import pytest

from barenet.data import load_dataset
from barenet.data.csv_import import load_csv
from barenet.data.datasets import load_csv_dataset
from barenet.errors import DataError
from data_helpers import snapshot, tiny_arrays

HEADER = "label," + ",".join(f"pixel{i}" for i in range(784))


def csv_text(images, labels, header=True) -> str:
    rows = [HEADER] if header else []
    for image, label in zip(images, labels, strict=True):
        rows.append(",".join([str(int(label)), *map(str, image.reshape(-1).tolist())]))
    return "\n".join(rows) + "\n"


@pytest.fixture
def arrays():
    return tiny_arrays(n_train=12, n_test=5)


@pytest.mark.parametrize("header", [True, False])
def test_round_trip_with_and_without_header(tmp_path, arrays, header):
    path = tmp_path / "train.csv"
    path.write_text(csv_text(arrays["train_images"], arrays["train_labels"], header))
    images, labels = load_csv(path)
    assert images.dtype == np.uint8 and images.shape == (12, 28, 28)
    assert labels.dtype == np.int64
    np.testing.assert_array_equal(images, arrays["train_images"])
    np.testing.assert_array_equal(labels, arrays["train_labels"])


def test_gzipped_csv(tmp_path, arrays):
    path = tmp_path / "train.csv.gz"
    path.write_bytes(gzip.compress(csv_text(arrays["test_images"], arrays["test_labels"]).encode()))
    images, _ = load_csv(path)
    np.testing.assert_array_equal(images, arrays["test_images"])


def write_rows(tmp_path, rows: list[str]):
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(rows) + "\n")
    return path


def good_row(label=3, pixel=0):
    return ",".join([str(label)] + [str(pixel)] * 784)


def test_wrong_column_count_names_the_line(tmp_path):
    path = write_rows(tmp_path, [HEADER, good_row(), good_row() + ",7"])
    with pytest.raises(DataError, match=r"bad\.csv: line 3 has 786 columns, expected 785") as ei:
        load_csv(path)
    assert "\n" not in str(ei.value)


def test_pixels_without_labels_are_explained(tmp_path):
    path = write_rows(tmp_path, [",".join(["0"] * 784)] * 2)
    with pytest.raises(DataError, match="looks like pixels without labels"):
        load_csv(path)


def test_pixel_out_of_range(tmp_path):
    path = write_rows(tmp_path, [good_row(), good_row(pixel=256)])
    with pytest.raises(DataError, match=r"line 2 has pixel value 256, outside 0\.\.255"):
        load_csv(path)
    path = write_rows(tmp_path, [good_row(pixel=-1)])
    with pytest.raises(DataError, match="pixel value -1"):
        load_csv(path)


def test_label_out_of_range(tmp_path):
    path = write_rows(tmp_path, [HEADER, good_row(), good_row(label=10)])
    with pytest.raises(DataError, match=r"line 3 has label 10, outside 0\.\.9"):
        load_csv(path)


@pytest.mark.parametrize("value", ["3.5", "x", ""])
def test_non_integer_value(tmp_path, value):
    row = ",".join(["1", value] + ["0"] * 783)
    path = write_rows(tmp_path, [good_row(), row])
    with pytest.raises(DataError, match="a value is not an integer"):
        load_csv(path)


def test_non_integer_label(tmp_path):
    path = write_rows(tmp_path, [good_row(), "2.0," + ",".join(["0"] * 784)])
    with pytest.raises(DataError, match="not an integer"):
        load_csv(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "file is empty"), (HEADER.encode() + b"\n", "no data rows"),
     (b"\xff\xfe\x00bin", "not a text file")],
)
def test_empty_header_only_and_binary(tmp_path, content, message):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(DataError, match=message):
        load_csv(path)


def test_missing_csv(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        load_csv(tmp_path / "none.csv")


def test_directory_of_csv_files_loads_as_a_dataset(tmp_path, arrays, monkeypatch):
    monkeypatch.delenv("BARENET_DATA_DIR", raising=False)
    (tmp_path / "train.csv").write_text(csv_text(arrays["train_images"], arrays["train_labels"]))
    (tmp_path / "test.csv").write_text(
        csv_text(arrays["test_images"], arrays["test_labels"], header=False)
    )
    before = snapshot(tmp_path)
    ds = load_dataset("mnist", tmp_path, download=False)
    assert ds.source == "csv" and not ds.canonical and len(ds.notes) == 1
    np.testing.assert_array_equal(ds.train_images, arrays["train_images"])
    np.testing.assert_array_equal(ds.test_labels, arrays["test_labels"])
    assert set(ds.sha256) == {"train.csv", "test.csv"}
    assert snapshot(tmp_path) == before


def test_broken_csv_in_a_dataset_directory(tmp_path, arrays, monkeypatch):
    monkeypatch.delenv("BARENET_DATA_DIR", raising=False)
    (tmp_path / "train.csv").write_text(csv_text(arrays["train_images"], arrays["train_labels"]))
    (tmp_path / "test.csv").write_text(good_row(label=12) + "\n")
    with pytest.raises(DataError, match=r"test\.csv: line 1 has label 12"):
        load_dataset("mnist", tmp_path, download=False)


def test_a_csv_datasets_checksums_are_of_the_content_as_for_idx_files(tmp_path, arrays):
    """Dataset.sha256 promises the decompressed content's SHA-256; a .csv.gz keeps that promise."""
    train = csv_text(arrays["train_images"], arrays["train_labels"]).encode()
    test = csv_text(arrays["test_images"], arrays["test_labels"]).encode()
    (tmp_path / "train.csv.gz").write_bytes(gzip.compress(train))
    (tmp_path / "test.csv").write_bytes(test)
    ds = load_csv_dataset(tmp_path / "train.csv.gz", tmp_path / "test.csv")
    assert ds.sha256 == {"train.csv.gz": hashlib.sha256(train).hexdigest(),
                         "test.csv": hashlib.sha256(test).hexdigest()}
    assert ds.files["train_labels"].sha256 == hashlib.sha256(train).hexdigest()
    np.testing.assert_array_equal(ds.train_labels, arrays["train_labels"])
