"""A user's image of a handwritten digit -> the 28×28 input an MNIST model expects.

    >>> from barenet.digits import prepare_image
    >>> result = prepare_image("my_seven.jpg")            # doctest: +SKIP
    >>> result.pixels.shape, result.notes                 # doctest: +SKIP
    ((28, 28), ('the image has 12 frames ...: the first frame was used',))

What this package offers, in the order the work is done:

    load_image(source)       path, bytes or binary file  -> LoadedImage: gray (H, W) float32,
                                                             0 = black, 1 = white; notes
    mnist_style(gray)        gray (H, W) in [0, 1]       -> (28, 28) float32, white ink on black
    prepare_image(source)    path, bytes or binary file  -> ImageResult: pixels (28, 28), notes,
                                                             source_name
    from_canvas_rgba(rgba)   (H, W, 4) uint8 canvas      -> ImageResult

The 28×28 result is made the way MNIST was (LeCun et al., 1998): dark ink on light paper is
inverted to white on black, paper noise and stray specks are dropped, the ink is cropped to its
bounding box, fitted into a 20×20 box keeping its aspect ratio with anti-aliasing, and placed in
the 28×28 field with its centre of mass at (14, 14). One departure: a digit written with a fine
pen on a big page is redrawn with MNIST's stroke width, or it would shrink to a faint ghost.
Values are in [0, 1], as MNIST's bytes / 255.
A model that normalises its inputs further (mean/std) does that itself.

Every failure a user can cause — a missing, empty, truncated or unreadable file, a decompression
bomb, a blank page, an image too small to hold a digit — raises `barenet.errors.ImageError` with
one message naming the file, what is wrong and what to do.

Modules: `read` (files to grayscale), `ink` (which side is ink, noise, specks), `components`
(connected components in NumPy), `normalise` (20×20 box and centre of mass).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from barenet.digits.normalise import mnist_style, mnist_style_with_notes
from barenet.digits.read import (
    ImageSource,
    LoadedImage,
    composite_on_paper,
    load_image,
)
from barenet.errors import ImageError
from barenet.i18n import _

__all__ = [
    "ImageResult",
    "ImageSource",
    "LoadedImage",
    "from_canvas_rgba",
    "load_image",
    "mnist_style",
    "prepare_image",
]


@dataclass(frozen=True)
class ImageResult:
    """A digit ready for an MNIST model.

    pixels: (28, 28) float32 in [0, 1], white ink on black, as MNIST's bytes / 255;
        `pixels.reshape(1, 784)` is one row of a batch.
    notes: what the user may want to know (first frame of an animation used, specks ignored,
        digit touching the edge), in the order they were found.
    source_name: the file's path, or "<bytes>", "<canvas>", a file object's name.
    """

    pixels: np.ndarray
    notes: tuple[str, ...]
    source_name: str


def prepare_image(source: ImageSource, *, ink: str = "auto") -> ImageResult:
    """Read an image (path, bytes or binary file object) and make it MNIST-style in one call.

    ink: "auto" (decide from the image), "dark" (dark ink on light paper) or "light".
    Returns `ImageResult` with pixels (28, 28) float32 in [0, 1]. Raises `ImageError`.
    """
    loaded = load_image(source)
    pixels, notes = mnist_style_with_notes(loaded.gray, ink=ink, source_name=loaded.source_name)
    return ImageResult(pixels=pixels, notes=(*loaded.notes, *notes),
                       source_name=loaded.source_name)


def from_canvas_rgba(rgba: np.ndarray, *, ink: str = "auto",
                     source_name: str = "<canvas>") -> ImageResult:
    """Make an MNIST-style digit from a drawing canvas's pixels (e.g. `getImageData`).

    rgba: (H, W, 4) uint8, straight (not premultiplied) alpha; a transparent background becomes
    white paper under dark strokes and black paper under light ones. Returns `ImageResult` with
    pixels (28, 28) float32 in [0, 1]. A PNG of the canvas can go to `prepare_image` as bytes.
    """
    rgba = np.asarray(rgba)
    if rgba.ndim != 3 or rgba.shape[2] != 4 or rgba.dtype != np.uint8:
        raise ImageError(_("{source}: expected canvas pixels of shape (height, width, 4) and type "
                           "uint8, got shape {shape} and type {dtype}: send the RGBA bytes of the "
                           "canvas").format(source=source_name, shape=rgba.shape, dtype=rgba.dtype))
    gray, note = composite_on_paper(rgba)
    pixels, notes = mnist_style_with_notes(gray, ink=ink, source_name=source_name)
    return ImageResult(pixels=pixels, notes=(*([note] if note else []), *notes),
                       source_name=source_name)

