"""Images from a hostile source: float pixels that are no brightness, paths that are no files."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from barenet.digits.read import load_image
from barenet.errors import ImageError
from web_fixtures import web_model


def float_tiff(value: float, count: int = 1) -> bytes:
    """A 28×28 32-bit float TIFF (mode F) of a bar, with `count` pixels set to `value`."""
    pixels = np.zeros((28, 28), np.float32)
    pixels[6:22, 12:16] = 1.0
    pixels.reshape(-1)[:count] = value
    buffer = io.BytesIO()
    Image.fromarray(pixels, mode="F").save(buffer, format="TIFF")
    return buffer.getvalue()


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_non_finite_float_pixels_are_refused(tmp_path, value):
    path = tmp_path / "digit.tiff"
    path.write_bytes(float_tiff(value, count=3))
    with pytest.raises(ImageError, match=r"3 of its floating-point pixels are NaN or infinite"):
        load_image(path)
    with pytest.raises(ImageError, match="NaN or infinite"):  # the server's bytes, too
        load_image(float_tiff(value))


def test_finite_float_pixels_still_read(tmp_path):
    gray = load_image(float_tiff(0.5)).gray
    assert gray.shape == (28, 28) and np.isfinite(gray).all() and gray.max() == 1.0


def test_predict_refuses_a_nan_tiff_and_a_fifo_in_one_line_each(tmp_path_factory, tmp_path):
    """`barenet predict` on a NaN TIFF (before: a confident '8 (91.9%)') and on a FIFO without a
    writer (before: blocked for ever): one line per file, exit 1, nothing written or removed."""
    path, _ = web_model(tmp_path_factory)
    nan_tiff = tmp_path / "nan.tiff"
    nan_tiff.write_bytes(float_tiff(np.nan))
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    before = sorted(os.listdir(tmp_path))
    result = subprocess.run([sys.executable, "-m", "barenet", "predict", str(path), str(nan_tiff),
                             str(fifo), "/dev/zero"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"barenet: error: image '{nan_tiff}': 1 of its floating-point pixels are NaN or infinite, "
        "which is no brightness: export it again as an 8-bit PNG",
        f"barenet: error: '{fifo}' is a FIFO (named pipe), not an image file: name one file",
        "barenet: error: '/dev/zero' is a character device, not an image file: name one file",
    ]
    assert sorted(os.listdir(tmp_path)) == before and nan_tiff.read_bytes() == float_tiff(np.nan)
