"""MNIST's own size and position normalisation, applied to a user's digit.

LeCun, Bottou, Bengio & Haffner (1998) made MNIST by fitting each NIST digit into a 20×20 box,
keeping its aspect ratio, with anti-aliasing (hence grey levels), then placing it in a 28×28 field
so that its centre of mass sits at the centre. The 10,000 test digits confirm it: the bounding
box of the non-zero pixels has a longest side of exactly 20 for all but 3 of them, and the centre
of mass, in pixel-index coordinates, is within 0.5 of (14, 14) for every one.

A model trained on MNIST has only ever seen digits of that size at that place, so a user's digit
must be given the same treatment or the model reads it badly:

- *why 20×20*: the stroke width and the digit's size relative to the 28×28 field are what the
  first layer's weights were tuned to; a digit filling the whole frame, or a quarter of it, lights
  up inputs that were always dark in training;
- *why the centre of mass* (and not the box centre): it is what MNIST used, and it is robust to a
  long tail (the stem of a 7, the foot of a 2) that would shift a box-centred digit;
- *why an area-averaging (BOX) filter*: shrinking by averaging the ink under each output pixel is
  exactly how anti-aliasing renders a sharp stroke at low resolution, and it never spreads ink
  outside the 20×20 box, as MNIST never does;
- *why an integer shift*: MNIST's digits were moved by whole pixels (their centres of mass scatter
  over ±0.5 around (14, 14)); a sub-pixel shift would blur every stroke.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from barenet.digits.ink import find_ink

FIELD = 28  # MNIST's image side
BOX = 20  # the box MNIST fits each digit into, keeping its aspect ratio
CENTRE = 14.0  # where MNIST puts the centre of mass, in pixel-index coordinates (row, column)
MNIST_STROKE = 1.6  # MNIST's median stroke width in output pixels (see stroke_width)
THIN_STROKE = 1.0  # strokes thinner than this in the 28×28 result are thickened to MNIST_STROKE
WORK = 4  # thickening works at 4× the final size: 80 pixels for the 20-pixel box


def mnist_style(gray: np.ndarray, *, ink: str = "auto", source_name: str = "image") -> np.ndarray:
    """A user's grayscale digit as MNIST would have it.

    gray: (H, W) float brightness in [0, 1] (0 = black, 1 = white; uint8 is read as bytes / 255),
    dark ink on light paper or the other way round (`ink` = "auto", "dark" or "light").
    Returns (28, 28) float32 in [0, 1], white ink (1) on black (0), the ink fitted into a 20×20
    box keeping its aspect ratio and shifted so that its centre of mass lies within half a pixel
    of (14, 14). Raises `ImageError` when there is no ink. `mnist_style_with_notes` also returns
    what the user may want to know.
    """
    return mnist_style_with_notes(gray, ink=ink, source_name=source_name)[0]


def mnist_style_with_notes(
    gray: np.ndarray, *, ink: str = "auto", source_name: str = "image"
) -> tuple[np.ndarray, list[str]]:
    """`mnist_style`, and the notes found on the way (specks dropped, digit cut off)."""
    inked, notes = find_ink(gray, ink=ink, source_name=source_name)
    return fit_and_centre(inked), notes


def fit_and_centre(inked: np.ndarray) -> np.ndarray:
    """Crop ink to its bounding box, fit it in 20×20 and centre its mass in 28×28.

    inked: (H, W) float32 ink strength in [0, 1] with at least one non-zero pixel.
    Returns (28, 28) float32 in [0, 1].
    """
    crop = _crop(inked)  # (h, w) the ink's bounding box
    width = stroke_width(crop) * BOX / max(crop.shape)  # in output pixels
    if width < THIN_STROKE and max(crop.shape) > BOX * WORK:
        crop = _thicken(crop, width)
    digit = _fit_box(crop)  # (h', w') with max(h', w') == 20
    return _centre_of_mass_paste(digit)


def stroke_width(ink: np.ndarray) -> float:
    """Mean stroke width in pixels of ink (h, w): 2·area / perimeter of the ink > 0.5 mask.

    A stroke of width w and length L has area w·L and perimeter about 2·L. Measured on a
    high-resolution copy of a digit (its half-maximum width) and scaled to the 20×20 box, MNIST's
    strokes are 1.56 output pixels wide (median over photos of 300 test digits; 95% are wider
    than 0.98, the thinnest 0.66), while a fine pen on a big page measures 0.1–0.5. The 5% of
    MNIST digits under THIN_STROKE = 1.0 gain about half a pixel of width, which moves a model's
    accuracy on photos of them by nothing measurable (test_images_photos.py).
    """
    mask = ink > 0.5
    area = np.count_nonzero(mask)
    edges = np.count_nonzero(np.diff(np.pad(mask, 1), axis=0))  # vertical transitions
    edges += np.count_nonzero(np.diff(np.pad(mask, 1), axis=1))  # horizontal transitions
    return 2.0 * area / edges if edges else 0.0


def _crop(ink: np.ndarray) -> np.ndarray:
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    return ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def _thicken(crop: np.ndarray, width: float) -> np.ndarray:
    """A thin-pen digit, redrawn with MNIST's stroke width.

    Departure from LeCun et al.: NIST's writers used pens whose strokes, once the digit is
    shrunk to 20×20, are about 2 pixels wide. A digit written with a fine pen on a big page
    shrinks to strokes a fraction of a pixel wide, which the BOX filter turns into a faint grey
    ghost (a 4-pixel pen line in a 330-pixel-tall 7 peaks at 0.4 with 9% of MNIST's usual ink)
    that a model trained on MNIST cannot read. So when strokes would end up thinner than
    THIN_STROKE output pixels, the digit is shrunk to WORK times the final size, dilated with a
    disk (grey-level maximum over the disk's offsets) to the width MNIST's strokes have, and
    its stroke cores are brought back to 1.

    crop: (h, w) ink, max(h, w) > 20·WORK; width: its stroke width in output pixels.
    Returns the thickened ink cropped to its new bounding box, about 20·WORK on its long side.
    """
    h, w = crop.shape
    scale = BOX * WORK / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    small = Image.fromarray(np.ascontiguousarray(crop, dtype=np.float32)).resize(
        size, Image.Resampling.BOX)
    r = max(1, round((MNIST_STROKE - width) * WORK / 2))  # dilation adds 2r to the width
    ink = np.pad(np.asarray(small, dtype=np.float32), r)  # (h' + 2r, w' + 2r)
    grown = ink.copy()
    for dy in range(-r, r + 1):
        for dx in range(-r, r + 1):
            if dy * dy + dx * dx <= r * r:  # a disk, so round strokes stay round
                grown = np.maximum(grown, np.roll(ink, (dy, dx), axis=(0, 1)))
    core = float(np.percentile(grown[grown > 0], 90))
    return _crop(np.minimum(grown / core, 1.0)) if core > 0 else _crop(grown)


def _fit_box(crop: np.ndarray) -> np.ndarray:
    """Resize crop (h, w) so that its longest side is 20, keeping the aspect ratio.

    Shrinking averages the ink under each output pixel (BOX); enlarging a tiny digit uses
    bilinear interpolation, which (unlike Lanczos or bicubic) never overshoots [0, 1].
    """
    h, w = crop.shape
    scale = BOX / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))  # Pillow sizes are (width, height)
    if size == (w, h):
        return crop.astype(np.float32)
    resample = Image.Resampling.BOX if scale < 1 else Image.Resampling.BILINEAR
    image = Image.fromarray(np.ascontiguousarray(crop, dtype=np.float32))  # mode "F"
    return np.clip(np.asarray(image.resize(size, resample), dtype=np.float32), 0.0, 1.0)


def _centre_of_mass_paste(digit: np.ndarray) -> np.ndarray:
    """Paste digit (h, w), h, w <= 20, into a black 28×28 field with its centre of mass at (14, 14).

    The centre of mass (ȳ, x̄) = Σ p·(row, col) / Σ p in the digit's own coordinates; the digit
    goes at offset round((14, 14) − (ȳ, x̄)), clipped so that it stays wholly inside the field
    (only a digit whose mass is crowded at one end, 6 or more pixels from its box centre, is
    clipped, and then lands as close to (14, 14) as the field allows).
    """
    h, w = digit.shape
    mass = float(digit.sum())
    cy = float(digit.sum(axis=1) @ np.arange(h)) / mass
    cx = float(digit.sum(axis=0) @ np.arange(w)) / mass
    top = min(max(int(np.floor(CENTRE - cy + 0.5)), 0), FIELD - h)
    left = min(max(int(np.floor(CENTRE - cx + 0.5)), 0), FIELD - w)
    field = np.zeros((FIELD, FIELD), dtype=np.float32)
    field[top : top + h, left : left + w] = digit
    return field
