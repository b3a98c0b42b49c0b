"""Real MNIST digits turned into "photos" of a digit written on paper, for tests and benchmarks.

A photo is made from one 28×28 MNIST digit (white ink on black, [0, 1]) by:

1. scaling it up 3–15× with bicubic interpolation (smooth strokes, like a pen at high resolution);
2. inverting it to dark ink on light paper: brightness = paper − (paper − ink) · digit, with
   paper and ink colours drawn per photo (paper 0.78–0.96, ink 0.04–0.30);
3. placing it off-centre on a larger page (margins of 10–80% of the digit's size each side);
4. adding light Gaussian paper noise (σ = 1–3% of the range);
5. saving it as PNG (lossless) or JPEG (quality 85, lossy).

Everything comes from one seeded `numpy.random.Generator`, so a seed names a photo set. A
faithful pipeline should turn each photo back into (nearly) the digit it came from, because
MNIST digits are already in the form the pipeline produces: fitted to a 20×20 box and centred by
centre of mass in 28×28.

    >>> digits, labels = load_mnist("t10k", 100)                 # doctest: +SKIP
    >>> paths = write_photos(digits, tmp_path, np.random.default_rng(0))  # doctest: +SKIP
"""

from __future__ import annotations

import gzip
import importlib.resources
import io
import os
from pathlib import Path

import numpy as np
from PIL import Image

FORMATS = ("png", "jpg")


def mnist_dir() -> Path:
    """Where the MNIST .gz files are: $BARENET_DATA_DIR (or its mnist/), else the bundled copy."""
    env = os.environ.get("BARENET_DATA_DIR")
    if env:
        base = Path(env)
        return base / "mnist" if (base / "mnist").is_dir() else base
    return Path(str(importlib.resources.files("barenet.data") / "mnist"))


def load_mnist(split: str = "t10k", n: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The first n digits of an MNIST split ("train" or "t10k"), read with a tiny IDX reader.

    Returns images (n, 28, 28) float32 in [0, 1] (white ink on black) and labels (n,) int64.
    Only the bytes needed are decompressed, so a few thousand digits load in milliseconds.
    """
    folder = mnist_dir()
    count = -1 if n is None else 16 + 784 * n
    with gzip.open(folder / f"{split}-images-idx3-ubyte.gz") as f:
        raw = f.read(count)
    with gzip.open(folder / f"{split}-labels-idx1-ubyte.gz") as f:
        raw_labels = f.read(-1 if n is None else 8 + n)
    images = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(-1, 28, 28)  # (n, 28, 28)
    labels = np.frombuffer(raw_labels, dtype=np.uint8, offset=8).astype(np.int64)
    return images.astype(np.float32) / 255.0, labels


def make_photo(digit: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One photo of `digit` (28, 28) in [0, 1], white on black -> (H, W) uint8, dark on light."""
    scale = int(rng.integers(3, 16))  # 3..15
    side = 28 * scale
    big = Image.fromarray(digit.astype(np.float32)).resize((side, side), Image.Resampling.BICUBIC)
    ink_map = np.clip(np.asarray(big), 0.0, 1.0)  # (side, side)
    top, bottom, left, right = (rng.uniform(0.1, 0.8, size=4) * side).astype(int)
    page = np.zeros((top + side + bottom, left + side + right), dtype=np.float32)
    page[top : top + side, left : left + side] = ink_map
    paper = rng.uniform(0.78, 0.96)
    ink = rng.uniform(0.04, 0.30)
    photo = paper - (paper - ink) * page
    photo += rng.uniform(0.01, 0.03) * rng.standard_normal(size=photo.shape, dtype=np.float32)
    return (np.clip(photo, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


def encode(photo: np.ndarray, fmt: str) -> bytes:
    """The file bytes of photo (H, W) uint8 as "png" or "jpg" (quality 85)."""
    buffer = io.BytesIO()
    if fmt == "jpg":
        Image.fromarray(photo).save(buffer, format="JPEG", quality=85)
    else:
        Image.fromarray(photo).save(buffer, format="PNG", compress_level=1)  # fast, same pixels
    return buffer.getvalue()


def photo_files(
    digits: np.ndarray, rng: np.random.Generator, formats: tuple[str, ...] = FORMATS
) -> list[tuple[str, bytes]]:
    """One photo file per digit (n, 28, 28), cycling through `formats`: [(format, bytes)]."""
    return [(formats[i % len(formats)], encode(make_photo(d, rng), formats[i % len(formats)]))
            for i, d in enumerate(digits)]


def write_photos(
    digits: np.ndarray, folder: Path, rng: np.random.Generator, formats: tuple[str, ...] = FORMATS
) -> list[Path]:
    """Save one photo per digit (n, 28, 28) in folder, cycling through `formats`; the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, (fmt, data) in enumerate(photo_files(digits, rng, formats)):
        path = folder / f"digit_{i:05d}.{fmt}"
        path.write_bytes(data)
        paths.append(path)
    return paths
