"""Reading every kind of image file into the same 28×28 digit, and every way reading can fail.

Each format is built in tmp_path with Pillow from one MNIST digit (a 7: not symmetric, so a
wrong rotation shows) drawn as dark ink on light paper, and must give the same 28×28 result as
the plain grayscale PNG of that page.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from barenet.digits import from_canvas_rgba, load_image, mnist_style, prepare_image
from barenet.errors import ConfigError, ImageError
from photo_digits import load_mnist

PAPER, INK = 0.92, 0.12


@pytest.fixture(scope="module")
def digits() -> np.ndarray:
    """The first two MNIST test digits (a 7 and a 2): (2, 28, 28) float32, white on black."""
    return load_mnist("t10k", 2)[0]


def page_of(digit: np.ndarray, scale: int = 6, margin: tuple[int, int, int, int] = (30, 70, 50, 20)):
    """Ink coverage (H, W) in [0, 1]: `digit` scaled up and placed off-centre on a page."""
    side = 28 * scale
    big = Image.fromarray(digit).resize((side, side), Image.Resampling.BICUBIC)
    top, bottom, left, right = margin
    cover = np.zeros((top + side + bottom, left + side + right), dtype=np.float32)
    cover[top : top + side, left : left + side] = np.clip(np.asarray(big), 0.0, 1.0)
    return cover


def to_bytes(a: np.ndarray) -> np.ndarray:
    """[0, 1] floats -> uint8."""
    return (np.clip(a, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)


@pytest.fixture(scope="module")
def cover(digits) -> np.ndarray:
    return page_of(digits[0])


@pytest.fixture(scope="module")
def reference(cover) -> np.ndarray:
    """The 28×28 result for the page as exact grayscale brightness."""
    return mnist_style(PAPER - (PAPER - INK) * cover)


def close_to(result: np.ndarray, reference: np.ndarray, tolerance: float = 0.01) -> bool:
    assert result.shape == (28, 28) and result.dtype == np.float32
    return float(np.abs(result - reference).mean()) < tolerance


# --- formats --------------------------------------------------------------------------------


def test_grayscale_png(tmp_path, cover, reference):
    path = tmp_path / "gray.png"
    Image.fromarray(to_bytes(PAPER - (PAPER - INK) * cover)).save(path)
    result = prepare_image(path)
    assert close_to(result.pixels, reference)
    assert result.notes == () and result.source_name == str(path)


def test_rgb_png_with_blue_ink_on_cream_paper(tmp_path, cover, reference):
    paper = np.array([0.97, 0.93, 0.82])
    ink = np.array([0.10, 0.15, 0.55])
    rgb = paper - (paper - ink) * cover[..., None]  # (H, W, 3)
    path = tmp_path / "rgb.png"
    Image.fromarray(to_bytes(rgb)).save(path)
    assert close_to(prepare_image(path).pixels, reference)


@pytest.mark.parametrize("stroke", [0, 255], ids=["black-strokes", "white-strokes"])
def test_rgba_png_with_transparent_background(tmp_path, cover, reference, stroke):
    rgba = np.zeros((*cover.shape, 4), dtype=np.uint8)
    rgba[..., :3] = stroke
    rgba[..., 3] = to_bytes(cover)  # the strokes are the only opaque pixels
    path = tmp_path / "canvas.png"
    Image.fromarray(rgba).save(path)
    result = prepare_image(path)
    assert close_to(result.pixels, reference, 0.02)
    paper = "white" if stroke == 0 else "black"
    assert result.notes == (f"transparent background shown as {paper} paper",)


def test_rgba_with_opaque_paper_and_transparent_surround(tmp_path, cover, reference):
    """A photo cut out onto a transparent sheet: the opaque part is paper and ink."""
    gray = to_bytes(PAPER - (PAPER - INK) * cover)
    rgba = np.zeros((cover.shape[0] + 40, cover.shape[1] + 40, 4), dtype=np.uint8)
    rgba[20:-20, 20:-20, :3] = gray[..., None]
    rgba[20:-20, 20:-20, 3] = 255
    result = prepare_image(_png_bytes(Image.fromarray(rgba)))
    assert close_to(result.pixels, reference, 0.02)
    assert result.source_name == "<bytes>"


def test_palette_png_and_palette_with_transparency(tmp_path, cover, reference):
    image = Image.fromarray(to_bytes(PAPER - (PAPER - INK) * cover)).convert("P")
    assert close_to(prepare_image(_png_bytes(image)).pixels, reference, 0.02)
    image.info["transparency"] = int(np.asarray(image)[0, 0])  # the paper's index
    result = prepare_image(_png_bytes(image, transparency=image.info["transparency"]))
    assert close_to(result.pixels, reference, 0.03)


def test_sixteen_bit_png_is_scaled_not_clipped(tmp_path, cover, reference):
    """Pillow's own convert('L') clips 16-bit values at 255, which would make this page blank."""
    levels = ((PAPER - (PAPER - INK) * cover) * 65535).astype(np.uint16)
    path = tmp_path / "sixteen.png"
    Image.fromarray(levels).save(path)
    with Image.open(path) as opened:
        assert opened.mode in ("I;16", "I")
    assert close_to(prepare_image(path).pixels, reference)


def test_jpeg_honours_exif_orientation(tmp_path, cover, reference):
    upright = Image.fromarray(to_bytes(PAPER - (PAPER - INK) * cover))
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # as a sideways phone sensor has it
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    path = tmp_path / "phone.jpg"
    stored.save(path, quality=90, exif=exif)
    assert close_to(prepare_image(path).pixels, reference, 0.03)
    plain = tmp_path / "plain.jpg"
    stored.save(plain, quality=90)
    assert not close_to(prepare_image(plain).pixels, reference, 0.03)  # the tag mattered


def test_bmp_and_tiff(tmp_path, cover, reference):
    image = Image.fromarray(to_bytes(PAPER - (PAPER - INK) * cover)).convert("RGB")
    for name in ("digit.bmp", "digit.tiff"):
        image.save(tmp_path / name)
        assert close_to(prepare_image(tmp_path / name).pixels, reference)


@pytest.mark.parametrize("fmt", ["GIF", "PNG"])
def test_animated_image_uses_the_first_frame(tmp_path, digits, reference, fmt):
    frames = [Image.fromarray(to_bytes(PAPER - (PAPER - INK) * page_of(d))) for d in digits]
    if fmt == "GIF":
        frames = [f.convert("P") for f in frames]
    path = tmp_path / f"animated.{fmt.lower()}"
    frames[0].save(path, format=fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    result = prepare_image(path)
    assert close_to(result.pixels, reference, 0.02)
    assert result.notes == ("the image has 2 frames (animated or multi-page): the first frame "
                            "was used",)


def test_bytes_file_object_and_path_agree(tmp_path, cover, reference):
    path = tmp_path / "digit.png"
    Image.fromarray(to_bytes(PAPER - (PAPER - INK) * cover)).save(path)
    data = path.read_bytes()
    with open(path, "rb") as f:
        from_file = prepare_image(f)
    assert from_file.source_name == str(path)
    for result in (prepare_image(data), prepare_image(bytearray(data)), from_file,
                   prepare_image(str(path))):
        np.testing.assert_array_equal(result.pixels, prepare_image(path).pixels)


def test_load_image_returns_brightness_and_shrinks_big_pages(tmp_path, cover):
    gray = PAPER - (PAPER - INK) * cover
    loaded = load_image(_png_bytes(Image.fromarray(to_bytes(gray))))
    assert loaded.gray.dtype == np.float32 and loaded.gray.shape == cover.shape
    assert loaded.gray.max() == pytest.approx(PAPER, abs=1 / 255)  # 1 = white: not inverted
    small = load_image(_png_bytes(Image.fromarray(to_bytes(gray))), max_side=100)
    assert max(small.gray.shape) == 100
    assert small.gray.shape[0] / small.gray.shape[1] == pytest.approx(
        cover.shape[0] / cover.shape[1], abs=0.02)


def test_big_phone_photo_is_decoded_at_reduced_scale(tmp_path, digits):
    """A 3000×4000 JPEG is drafted to at most 1024 pixels and still gives the digit."""
    cover = page_of(digits[0], scale=60, margin=(1100, 1220, 700, 620))  # (4000, 3000)
    path = tmp_path / "big.jpg"
    Image.fromarray(to_bytes(PAPER - (PAPER - INK) * cover)).save(path, quality=80)
    loaded = load_image(path)
    assert max(loaded.gray.shape) == 1024
    reference = mnist_style(PAPER - (PAPER - INK) * page_of(digits[0]))
    assert close_to(prepare_image(path).pixels, reference, 0.04)


def test_canvas_rgba_matches_the_png_of_the_same_canvas(cover, reference):
    rgba = np.zeros((*cover.shape, 4), dtype=np.uint8)
    rgba[..., 3] = to_bytes(cover)  # black strokes on a transparent canvas
    result = from_canvas_rgba(rgba)
    assert close_to(result.pixels, reference, 0.02)
    assert result.source_name == "<canvas>"
    as_png = prepare_image(_png_bytes(Image.fromarray(rgba)))
    np.testing.assert_array_equal(result.pixels, as_png.pixels)


# --- errors ---------------------------------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(ImageError, match=r"image file '.*nope\.png' not found: check the path"):
        prepare_image(tmp_path / "nope.png")


def test_directory(tmp_path):
    with pytest.raises(ImageError, match="is a directory, not an image file"):
        prepare_image(tmp_path)


def test_empty_file_and_empty_bytes(tmp_path):
    path = tmp_path / "empty.png"
    path.write_bytes(b"")
    with pytest.raises(ImageError, match=r"'.*empty\.png' is empty \(0 bytes\)"):
        prepare_image(path)
    with pytest.raises(ImageError, match=r"image data is empty \(0 bytes\)"):
        prepare_image(b"")


def test_not_an_image(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("this is a seven, honestly\n")
    with pytest.raises(ImageError, match=r"'.*notes\.txt' is not an image Pillow can read: save "
                                         "the digit as PNG or JPEG"):
        prepare_image(path)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_truncated_file(tmp_path, cover, fmt):
    buffer = io.BytesIO()
    Image.fromarray(to_bytes(PAPER - (PAPER - INK) * cover)).save(buffer, format=fmt)
    path = tmp_path / f"cut.{fmt.lower()}"
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    with pytest.raises(ImageError, match=r"is truncated or corrupt .*: save or copy it again"):
        prepare_image(path)


@pytest.mark.parametrize("side", [50, 100], ids=["warning-zone", "error-zone"])
def test_decompression_bomb_limit_is_kept(monkeypatch, side):
    """Pillow warns above MAX_IMAGE_PIXELS and refuses above twice that: both are refused here."""
    data = _png_bytes(Image.new("L", (side, side), 255))
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 2000)  # 50² = 2500 warns, 100² = 10000 errs
    with pytest.raises(ImageError, match=r"too large to decode safely \(over 2,000 pixels; it may "
                                         r"be a decompression bomb\): scale it down"):
        prepare_image(data)


@pytest.mark.parametrize("level", [1.0, 0.5, 0.0], ids=["white", "grey", "black"])
def test_blank_page(tmp_path, level):
    rng = np.random.default_rng(0)
    page = level + rng.normal(0, 0.01, size=(300, 200))
    with pytest.raises(ImageError, match=r"no ink found in '<bytes>'.*write the digit darker or "
                                         "bigger"):
        prepare_image(_png_bytes(Image.fromarray(to_bytes(page))))


def test_fully_transparent_canvas():
    with pytest.raises(ImageError, match="no ink found in '<canvas>'"):
        from_canvas_rgba(np.zeros((280, 280, 4), dtype=np.uint8))


def test_image_too_small(tmp_path):
    with pytest.raises(ImageError, match=r"is 7×5 pixels, too small to hold a digit \(at least "
                                         r"8×8 is needed\)"):
        prepare_image(_png_bytes(Image.new("L", (7, 5), 0)))


def test_too_little_ink():
    page = np.full((100, 100), 240, dtype=np.uint8)
    page[50, 50:52] = 0  # two dark pixels
    with pytest.raises(ImageError, match="holds only 2 pixels of ink, too few for a digit: write "
                                         "the digit bigger"):
        prepare_image(_png_bytes(Image.fromarray(page)))


def test_bad_canvas_and_bad_ink_option(cover):
    with pytest.raises(ImageError, match=r"expected canvas pixels of shape \(height, width, 4\) "
                                         r"and type uint8, got shape \(10, 10, 3\)"):
        from_canvas_rgba(np.zeros((10, 10, 3), dtype=np.uint8))
    with pytest.raises(ConfigError, match="ink must be one of auto, dark, light, not 'purple'"):
        mnist_style(cover, ink="purple")


def _png_bytes(image: Image.Image, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **options)
    return buffer.getvalue()
