"""The IDX reader validates before it trusts; the writer round-trips every IDX type."""

from __future__ import annotations

import gzip
import tracemalloc

import numpy as np
import pytest

from barenet.data.idx import (
    encode_idx,
    parse_idx,
    read_idx,
    read_idx_bytes,
    read_images,
    read_labels,
    write_idx,
)
from barenet.errors import DataError


def check_message(excinfo, path):
    """The message is one line and names the file."""
    message = str(excinfo.value)
    assert "\n" not in message
    assert str(path) in message
    return message


@pytest.mark.parametrize("suffix", ["", ".gz"])
@pytest.mark.parametrize(
    "dtype", [np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64]
)
def test_round_trip_every_type(tmp_path, suffix, dtype):
    array = (np.arange(2 * 3 * 4) - 5).astype(dtype).reshape(2, 3, 4)
    path = write_idx(tmp_path / f"a{suffix}", array)
    back = read_idx(path)
    assert back.dtype == np.dtype(dtype) and back.shape == (2, 3, 4)
    np.testing.assert_array_equal(back, array)
    assert not back.flags.writeable


def test_header_layout_by_hand():
    # magic 00 00, type 0x08 (uint8), 1 dimension, dim 3 (big-endian), then the data
    assert encode_idx(np.array([7, 8, 9], dtype=np.uint8)) == bytes(
        [0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9]
    )
    # int16 data is big-endian: 258 = 0x0102
    assert encode_idx(np.array([258], dtype=np.int16))[-2:] == b"\x01\x02"


def test_gzip_detected_by_content_not_name(tmp_path):
    array = np.zeros((2, 28, 28), np.uint8)
    path = tmp_path / "images-without-suffix"
    path.write_bytes(gzip.compress(encode_idx(array)))
    assert read_images(path).shape == (2, 28, 28)


def test_images_and_labels_helpers(tmp_path):
    images = write_idx(tmp_path / "i.gz", np.ones((3, 28, 28), np.uint8))
    labels = write_idx(tmp_path / "l.gz", np.array([0, 9, 4], np.uint8))
    assert read_images(images).shape == (3, 28, 28)
    assert read_labels(labels).tolist() == [0, 9, 4]


# --- broken files: each its own message, naming the file -----------------------------------


def test_missing_file(tmp_path):
    path = tmp_path / "nope.gz"
    with pytest.raises(DataError, match="file not found") as excinfo:
        read_idx(path)
    check_message(excinfo, path)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.gz"
    path.write_bytes(b"")
    with pytest.raises(DataError, match=r"file is empty \(0 bytes\)") as excinfo:
        read_idx(path)
    check_message(excinfo, path)


def test_directory_instead_of_file(tmp_path):
    with pytest.raises(DataError, match="is a directory") as excinfo:
        read_idx(tmp_path)
    check_message(excinfo, tmp_path)


def test_not_gzip_but_named_gz(tmp_path):
    path = tmp_path / "page.gz"
    path.write_bytes(b"<html>404 Not Found</html>")
    with pytest.raises(DataError, match=r"named \.gz but not a gzip file .*3c 68 74 6d") as ei:
        read_idx(path)
    check_message(ei, path)


def test_plain_idx_named_gz_says_rename(tmp_path):
    path = tmp_path / "train-labels-idx1-ubyte.gz"
    path.write_bytes(encode_idx(np.zeros(5, np.uint8)))
    with pytest.raises(DataError, match=r"rename it to train-labels-idx1-ubyte$") as ei:
        read_idx(path)
    check_message(ei, path)


def test_truncated_gzip(tmp_path):
    whole = gzip.compress(encode_idx(np.arange(1000, dtype=np.int32)))
    path = tmp_path / "cut.gz"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(DataError, match="gzip stream is truncated") as ei:
        read_idx(path)
    check_message(ei, path)


def test_corrupt_gzip(tmp_path):
    whole = bytearray(gzip.compress(encode_idx(np.arange(1000, dtype=np.int32))))
    whole[-6] ^= 0xFF  # inside the CRC-32 of the trailer
    path = tmp_path / "bad.gz"
    path.write_bytes(bytes(whole))
    with pytest.raises(DataError, match="corrupt gzip data") as ei:
        read_idx(path)
    check_message(ei, path)


def test_bad_magic(tmp_path):
    path = tmp_path / "x"
    path.write_bytes(b"\x01\x02\x08\x01" + b"\x00" * 8)
    with pytest.raises(DataError, match=r"not an IDX file \(magic bytes 01 02 08 01") as ei:
        read_idx(path)
    check_message(ei, path)


def test_unknown_type_code(tmp_path):
    path = tmp_path / "x"
    path.write_bytes(bytes([0, 0, 0x07, 1, 0, 0, 0, 1, 5]))
    with pytest.raises(DataError, match="unknown IDX type code 0x07") as ei:
        read_idx(path)
    check_message(ei, path)


def test_zero_dimensions(tmp_path):
    path = tmp_path / "x"
    path.write_bytes(bytes([0, 0, 8, 0]))
    with pytest.raises(DataError, match="0 dimensions"):
        read_idx(path)


def test_too_short_for_header(tmp_path):
    path = tmp_path / "x"
    path.write_bytes(b"\x00\x00")
    with pytest.raises(DataError, match="too short for an IDX header"):
        read_idx(path)


def test_truncated_header(tmp_path):
    path = tmp_path / "x"
    path.write_bytes(bytes([0, 0, 8, 3, 0, 0, 0, 1]))  # 3 dims announced, 1 present
    with pytest.raises(DataError, match=r"truncated IDX header \(8 bytes, .* need 16\)"):
        read_idx(path)


def test_truncated_data(tmp_path):
    content = encode_idx(np.zeros((10, 28, 28), np.uint8))
    path = tmp_path / "images.gz"
    path.write_bytes(gzip.compress(content[:-100]))  # valid gzip, short content
    with pytest.raises(DataError, match=r"truncated: header declares shape \(10, 28, 28\)") as ei:
        read_idx(path)
    check_message(ei, path)


def test_trailing_bytes(tmp_path):
    path = tmp_path / "x"
    path.write_bytes(encode_idx(np.zeros(4, np.uint8)) + b"junk")
    with pytest.raises(DataError, match="longer than its header says"):
        read_idx(path)


def test_huge_header_claim_allocates_nothing_large(tmp_path):
    # header: 2^31 images of 28×28 followed by 784 bytes of data
    header = bytes([0, 0, 8, 3]) + np.array([2**31, 28, 28], dtype=">u4").tobytes()
    path = tmp_path / "liar.gz"
    path.write_bytes(gzip.compress(header + bytes(784)))
    tracemalloc.start()
    try:
        with pytest.raises(DataError, match="truncated: header declares shape"):
            read_images(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000


def test_images_must_be_28x28(tmp_path):
    path = write_idx(tmp_path / "small.gz", np.zeros((3, 27, 27), np.uint8))
    with pytest.raises(DataError, match=r"expected uint8 images of 28×28 pixels.*found uint8 of "
                                        r"shape 3×27×27") as ei:
        read_images(path)
    check_message(ei, path)


def test_labels_file_where_images_expected(tmp_path):
    path = write_idx(tmp_path / "labels.gz", np.zeros(3, np.uint8))
    with pytest.raises(DataError, match="is this a labels file"):
        read_images(path)


def test_images_file_where_labels_expected(tmp_path):
    path = write_idx(tmp_path / "images.gz", np.zeros((3, 28, 28), np.uint8))
    with pytest.raises(DataError, match="is this an images file"):
        read_labels(path)


def test_label_out_of_range(tmp_path):
    path = write_idx(tmp_path / "labels.gz", np.array([0, 3, 10, 2], np.uint8))
    with pytest.raises(DataError, match=r"label value 10 is out of range \(expected 0\.\.9\)") as ei:
        read_labels(path)
    check_message(ei, path)


def test_negative_label(tmp_path):
    path = write_idx(tmp_path / "labels", np.array([0, -1], np.int8))
    with pytest.raises(DataError, match="label value -1 is out of range"):
        read_labels(path)


def test_parse_idx_of_bytes_and_read_idx_bytes(tmp_path):
    content = encode_idx(np.arange(6, dtype=np.uint8).reshape(2, 3))
    np.testing.assert_array_equal(parse_idx(content), [[0, 1, 2], [3, 4, 5]])
    path = write_idx(tmp_path / "a.gz", np.arange(6, dtype=np.uint8).reshape(2, 3))
    assert read_idx_bytes(path) == content


def test_writer_refuses_unsupported_dtype(tmp_path):
    with pytest.raises(DataError, match="cannot write dtype"):
        write_idx(tmp_path / "x", np.zeros(3, np.uint16))
    with pytest.raises(DataError, match="cannot write dtype"):
        write_idx(tmp_path / "x", np.zeros(3, bool))
