"""Reading a user's image file into one grayscale brightness array.

`load_image` accepts a path, the bytes of a file, or an open binary file object, and returns a
`LoadedImage` whose `gray` is brightness as a person sees it:

    gray: (H, W) float32 in [0, 1], 0 = black, 1 = white.

Which side is ink is *not* decided here (a photo has dark ink, MNIST has light ink); that is the
job of `barenet.digits.ink`. Anything Pillow reads is accepted:

- colour is reduced to luma (ITU-R 601-2: 0.299 R + 0.587 G + 0.114 B);
- an alpha channel (RGBA, LA, a palette or colour key with transparency) is composited onto a
  paper colour, see `composite_on_paper`;
- 16-bit grayscale ('I;16', 'I') is scaled by 65535, not clipped at 255 as Pillow's own
  `convert('L')` would;
- JPEG and TIFF photos are turned upright by their EXIF orientation (`ImageOps.exif_transpose`);
- an animated GIF/PNG or a multi-page TIFF gives its first frame, and a note says so;
- an image larger than `max_side` is shrunk with an area-averaging (BOX) filter: the 28×28
  result cannot use more detail, and the work afterwards stays fast. JPEGs are decoded at reduced
  scale directly (`Image.draft`), which is what keeps a 12-megapixel phone photo quick.

Pillow's decompression-bomb limit (`Image.MAX_IMAGE_PIXELS`) is kept: both its warning and its
error become an `ImageError`, so a crafted file cannot exhaust memory.
"""

from __future__ import annotations

import io
import os
import warnings
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from barenet.errors import ImageError
from barenet.files import NotAFile, open_regular
from barenet.i18n import _

ImageSource = str | os.PathLike | bytes | bytearray | memoryview | BinaryIO

MAX_SIDE = 1024  # longest side kept after decoding; a digit needs far fewer pixels than this

_SIXTEEN_BIT_MODES = ("I;16", "I;16L", "I;16B", "I;16N")
_ALPHA_MODES = ("RGBA", "RGBa", "LA", "La", "PA")
_ORIENTATION = 0x0112  # the EXIF tag


@dataclass(frozen=True)
class LoadedImage:
    """A decoded image.

    gray: (H, W) float32 brightness in [0, 1] (0 = black, 1 = white), upright, first frame.
    notes: things the user may want to know ("animated image: first frame used").
    source_name: the path, or "<bytes>" / the file object's name, for messages.
    """

    gray: np.ndarray
    notes: tuple[str, ...]
    source_name: str


def source_name_of(source: ImageSource) -> str:
    """A short name for `source` to put in messages: the path, a file object's name, or <bytes>."""
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    if isinstance(source, (bytes, bytearray, memoryview)):
        return "<bytes>"
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else "<file object>"


def load_image(source: ImageSource, *, max_side: int = MAX_SIDE) -> LoadedImage:
    """Decode `source` (path, bytes or binary file object) into grayscale brightness.

    Returns a `LoadedImage` with gray: (H, W) float32 in [0, 1], 0 = black, 1 = white, and
    max(H, W) <= max_side. Raises `ImageError` when the file is missing, empty, not an image,
    truncated, or larger than Pillow's decompression-bomb limit.
    """
    name = source_name_of(source)
    fp = _open(source, name)
    notes: list[str] = []
    try:
        img = _decode(fp, name, max_side, notes)
        check_size(img.size, name)  # the size as decoded: a 65535×1 strip is not "1024×1"
        img = reduced(img, max_side)
        gray = _to_gray(img, notes, max_side, name)
    finally:
        if isinstance(source, (str, os.PathLike)):
            fp.close()
    if max(gray.shape) > max_side:
        gray = shrink(gray, max_side)
    return LoadedImage(gray=gray, notes=tuple(notes), source_name=name)


def check_size(size: tuple[int, int], name: str) -> None:
    """ImageError if an image of `size` (width, height) is too small, on a side, to hold a digit,
    checked before any shrinking so that the message gives the file's own size."""
    from barenet.digits.ink import MIN_SIDE

    w, h = size
    if min(w, h) < MIN_SIDE:
        raise ImageError(_("image {name!r} is {w}×{h} pixels, too small to hold a digit (at least "
                           "{side}×{side} is needed): use a bigger picture").format(
                             name=name, w=w, h=h, side=MIN_SIDE))


def reduced(img: Image.Image, max_side: int) -> Image.Image:
    """`img` shrunk by an integer factor k (mean of each k×k block) while its longest side is at
    least 2·max_side, in its own mode: what follows (conversion to float, compositing) then
    works on k² times fewer pixels. A 4096×4096 RGBA drawing becomes 1024×1024 (k = 4) before
    it costs ~550 MB as float arrays. Palette and 1-bit images become gray (RGBA with
    transparency) first; a mode Pillow cannot reduce is kept as it is.
    """
    factor = max(img.size) // max_side
    if factor < 2:
        return img
    if img.mode in ("P", "PA", "1"):  # reduce averages numbers, not palette indices: colours first
        alpha = img.mode == "PA" or "transparency" in img.info
        img = img.convert("RGBA" if alpha else "L")  # L: the palette's luma, as _to_gray takes
    try:
        return img.reduce(factor)
    except (ValueError, NotImplementedError):
        return img


def shrink(gray: np.ndarray, max_side: int) -> np.ndarray:
    """Area-average (BOX) `gray` (H, W) so that its longest side is `max_side`; keeps the aspect."""
    h, w = gray.shape
    scale = max_side / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))  # Pillow sizes are (width, height)
    small = Image.fromarray(np.ascontiguousarray(gray, dtype=np.float32))  # mode "F"
    return np.asarray(small.resize(size, Image.Resampling.BOX), dtype=np.float32)


def composite_on_paper(rgba: np.ndarray) -> tuple[np.ndarray, str | None]:
    """Flatten a transparent image onto paper; returns gray (H, W) float32 in [0, 1] and a note.

    rgba: (H, W, 4) uint8, straight alpha. gray = a·luma + (1 − a)·paper, with a = alpha / 255.

    The paper colour is the one a person would assume:

    - opaque pixels cover more than half the image: they include the paper itself (a scan cut
      out onto a transparent sheet), and the paper is their median brightness;
    - otherwise they are the strokes. A GIF or PNG-8 with a transparent background keeps the
      anti-aliasing halo it was drawn with: the opaque pixels touching the transparent area are
      blended toward the intended background, so when they are clearly lighter (darker) than the
      inner opaque pixels the paper is white (black);
    - with no halo (a drawing canvas, whose strokes are one colour with anti-aliased alpha) the
      paper is white under dark strokes and black under light ones, judged by the median
      brightness of the opaque pixels.
    """
    rgb = rgba[..., :3].astype(np.float32)
    luma = (rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)) / 255.0  # (H, W)
    alpha = rgba[..., 3].astype(np.float32) / 255.0  # (H, W)
    if alpha.min() >= 1.0:
        return luma, None
    opaque = alpha > 0.5
    if not opaque.any():
        return np.ones_like(luma), _("the image is (almost) fully transparent")
    if opaque.mean() >= 0.5:
        paper = float(np.median(luma[opaque]))
    else:
        paper = 1.0 if float(np.median(luma[opaque])) < 0.5 else 0.0
        clear = np.pad(~opaque, 1, constant_values=True)  # (H + 2, W + 2)
        near_clear = clear[:-2, 1:-1] | clear[2:, 1:-1] | clear[1:-1, :-2] | clear[1:-1, 2:]
        edge, inner = opaque & near_clear, opaque & ~near_clear  # (H, W) each
        if edge.any() and inner.any():
            halo = float(np.median(luma[edge])) - float(np.median(luma[inner]))
            if abs(halo) > 0.1:
                paper = 1.0 if halo > 0 else 0.0
    note = _("transparent background shown as white paper") if paper >= 0.5 else \
        _("transparent background shown as black paper")
    gray = alpha * luma + (1.0 - alpha) * np.float32(paper)
    return gray.astype(np.float32), note


def _open(source: ImageSource, name: str) -> BinaryIO:
    """A binary file object for `source`; missing, unreadable and empty files raise ImageError."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        if len(source) == 0:
            raise ImageError(_("the image data is empty (0 bytes): send or save the image again"))
        return io.BytesIO(bytes(source))
    if not isinstance(source, (str, os.PathLike)):
        return source
    try:
        fp = open_regular(source)  # never blocks on a FIFO; closed by load_image
    except FileNotFoundError:
        raise ImageError(_("image file {name!r} not found: check the path and the name").format(
            name=name)) from None
    except NotAFile as e:
        raise ImageError(_("{name!r} is {kind}, not an image file: name one file").format(
                             name=name, kind=e.kind)) from None
    except OSError as e:
        raise ImageError(_("cannot open image file {name!r} ({strerror}): check that it exists and that "
                           "you may read it").format(
                             name=name, strerror=e.strerror)) from None
    if os.fstat(fp.fileno()).st_size == 0:
        fp.close()
        raise ImageError(_("image file {name!r} is empty (0 bytes): save or copy the image again").format(
                             name=name))
    return fp


def _decode(fp: BinaryIO, name: str, max_side: int, notes: list[str]) -> Image.Image:
    """Open and fully decode the first frame of `fp`, upright; errors become ImageError."""
    try:
        # Pillow only *warns* between MAX_IMAGE_PIXELS and twice that: refuse both. Its
        # UserWarnings (odd EXIF, unusual chunks) mean nothing to a user with a digit to read;
        # real damage raises. (catch_warnings swaps the process-wide filters for a moment, so a
        # threaded server may lose a warning from another thread meanwhile; never an error.)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(fp)
            frames = getattr(img, "n_frames", 1)
            if frames > 1:
                img.seek(0)
                notes.append(_("the image has {frames} frames (animated or multi-page): the first "
                               "frame was used").format(frames=frames))
            if img.format == "JPEG":  # decode at 1/2, 1/4 or 1/8 scale, colour straight to luma
                img.draft("L" if img.mode == "RGB" else None, (max_side, max_side))
            img.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageError(
            _("image {name!r} is too large to decode safely (over {most:,} pixels; it may be a "
              "decompression bomb): scale it down, for example to 1000×1000, and try again").format(
                name=name, most=Image.MAX_IMAGE_PIXELS)) from None
    except UnidentifiedImageError:
        raise ImageError(
            _("{name!r} is not an image Pillow can read: save the digit as PNG or JPEG and give "
              "that file").format(name=name)) from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError) as e:
        raise ImageError(
            _("image {name!r} is truncated or corrupt ({error}): save or copy it again, or export "
              "it as PNG").format(name=name, error=e)) from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            if img.getexif().get(_ORIENTATION, 1) == 1:
                return img  # upright already: skip exif_transpose, which would copy the image
            upright = ImageOps.exif_transpose(img)
    except Exception:  # a broken EXIF block must not lose an otherwise readable image
        notes.append(_("the EXIF orientation could not be read: the image was used as stored"))
        return img
    return upright if upright is not None else img


def _to_gray(img: Image.Image, notes: list[str], max_side: int, name: str) -> np.ndarray:
    """Brightness (H, W) float32 in [0, 1] of a decoded Pillow image of any mode.

    Plain 8-bit images are shrunk to max_side while still 8-bit (four times less to move than
    float32); the others are shrunk by `load_image` after conversion.
    """
    mode = img.mode
    if mode in _SIXTEEN_BIT_MODES:
        return np.asarray(img).astype(np.float32) / 65535.0
    if mode == "I":  # 32-bit integers: 16-bit PNGs on older Pillow, some TIFFs
        values = np.asarray(img).astype(np.float32)
        return np.clip(values / (65535.0 if values.max() > 255 else 255.0), 0.0, 1.0)
    if mode == "F":  # 32-bit float TIFFs: any scale, but every value a real brightness
        values = np.asarray(img, dtype=np.float32)
        if not np.isfinite(values).all():
            bad = int(np.count_nonzero(~np.isfinite(values)))
            raise ImageError(_("image {name!r}: {bad:,} of its floating-point pixels are NaN or infinite, "
                               "which is no brightness: export it again as an 8-bit PNG").format(
                                 name=name, bad=bad))
        top = float(values.max())
        return np.clip(values / top if top > 1.0 else values, 0.0, 1.0)
    if mode in _ALPHA_MODES or "transparency" in img.info:
        gray, note = composite_on_paper(np.asarray(img.convert("RGBA")))
        if note:
            notes.append(note)
        return gray
    try:
        luma = img.convert("L") if mode != "L" else img
    except ValueError:  # modes without a direct route to L (LAB, HSV)
        luma = img.convert("RGB").convert("L")
    w, h = luma.size
    if max(w, h) > max_side:
        scale = max_side / max(w, h)
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        luma = luma.resize(size, Image.Resampling.BOX)
    return np.asarray(luma, dtype=np.float32) / 255.0
