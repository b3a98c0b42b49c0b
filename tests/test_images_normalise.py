"""MNIST-style normalisation: which side is ink, specks, the 20×20 box and the centre of mass."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from barenet.digits import mnist_style
from barenet.digits.components import label_components
from barenet.digits.ink import find_ink
from barenet.digits.normalise import mnist_style_with_notes
from barenet.errors import ImageError
from photo_digits import load_mnist

ROWS = np.arange(28)


def centre_of_mass(x: np.ndarray) -> tuple[float, float]:
    """(row, column) centre of mass of x (28, 28) in pixel-index coordinates."""
    mass = x.sum()
    return float(x.sum(axis=1) @ ROWS / mass), float(x.sum(axis=0) @ ROWS / mass)


def box(x: np.ndarray) -> tuple[int, int]:
    """(height, width) of the bounding box of the non-zero pixels."""
    rows, cols = np.flatnonzero(x.any(axis=1)), np.flatnonzero(x.any(axis=0))
    return int(rows[-1] - rows[0] + 1), int(cols[-1] - cols[0] + 1)


@pytest.fixture(scope="module")
def mnist() -> np.ndarray:
    """200 MNIST test digits (200, 28, 28) float32 in [0, 1]."""
    return load_mnist("t10k", 200)[0]


def ellipse_page(h: int, w: int, cy: float, cx: float, ry: float, rx: float, thickness: float):
    """Ink coverage (h, w) in [0, 1] of an elliptical ring, anti-aliased over one pixel."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    r = np.sqrt(((y - cy) / ry) ** 2 + ((x - cx) / rx) ** 2)  # 1 on the ellipse
    distance = np.abs(r - 1.0) * min(ry, rx)  # roughly pixels from the centre line
    return np.clip(thickness / 2 + 0.5 - distance, 0.0, 1.0)


def test_mnist_digits_come_back_unchanged(mnist):
    """MNIST is already MNIST-style: normalising it again nearly reproduces it."""
    again = np.stack([mnist_style(x) for x in mnist])
    assert float(np.abs(again - mnist).mean()) < 0.005


def test_dark_ink_and_light_ink_give_the_same_result(mnist):
    for x in mnist[:20]:
        paper = 0.15 + 0.7 * x  # light ink on grey-black paper
        photo = 0.9 - 0.75 * x  # dark ink on white paper
        np.testing.assert_allclose(mnist_style(paper), mnist_style(photo), atol=1e-5)
        np.testing.assert_allclose(mnist_style(photo, ink="dark"), mnist_style(photo), atol=0)


def test_forcing_the_wrong_ink_side_is_what_forcing_means():
    """ink="light" on a dark-ink page reads the paper's bright noise as ink: no ink found."""
    page = 0.9 - 0.8 * ellipse_page(100, 100, 50, 50, 30, 20, 6)
    with pytest.raises(ImageError, match="no ink found"):
        mnist_style(page, ink="light")


@pytest.mark.parametrize(
    ("h", "w", "cy", "cx", "ry", "rx"),
    [
        (200, 300, 60, 200, 40, 15),  # tall, narrow, off-centre: a "0" or a "1"
        (300, 200, 200, 60, 15, 50),  # wide and flat, bottom left
        (64, 64, 32, 32, 20, 20),  # round, centred
        (500, 400, 100, 300, 80, 60),  # big and off-centre
        (30, 30, 15, 15, 7, 5),  # smaller than the 20×20 box: enlarged
    ],
)
def test_box_is_twenty_and_centre_of_mass_is_fourteen(h, w, cy, cx, ry, rx):
    page = 0.95 - 0.85 * ellipse_page(h, w, cy, cx, ry, rx, thickness=max(2.0, min(ry, rx) / 4))
    x = mnist_style(page)
    assert x.shape == (28, 28) and x.dtype == np.float32
    assert 0.0 <= x.min() and x.max() <= 1.0
    bh, bw = box(x)
    assert max(bh, bw) == 20 and min(bh, bw) <= 20
    assert bh / bw == pytest.approx((2 * ry + 1) / (2 * rx + 1), rel=0.15)  # aspect kept
    r, c = centre_of_mass(x)
    assert abs(r - 14) <= 0.5 + 1e-4 and abs(c - 14) <= 0.5 + 1e-4  # rounding to whole pixels


def test_centre_of_mass_on_real_digits(mnist):
    """Photos of MNIST digits at random places land with the centre of mass at (14, 14)."""
    rng = np.random.default_rng(1)
    for x in mnist[:30]:
        page = np.zeros((120, 150), dtype=np.float32)
        top, left = rng.integers(0, 92), rng.integers(0, 122)
        page[top : top + 28, left : left + 28] = x
        out = mnist_style(0.9 - 0.8 * page)
        r, c = centre_of_mass(out)
        assert abs(r - 14) <= 0.5 + 1e-4 and abs(c - 14) <= 0.5 + 1e-4
        assert max(box(out)) == 20


def test_mass_crowded_at_one_end_stays_inside_the_field():
    """A heavy head on a long thin stem: the centre of mass sits 4 pixels into the 20-pixel digit,
    so reaching (14, 14) would push the stem 2 pixels out of the bottom; the shift is clipped."""
    page = np.zeros((200, 200), dtype=np.float32)
    page[20:60, 80:120] = 1.0  # heavy head, 40×40
    page[60:180, 99:101] = 1.0  # thin stem, 120×2
    out = mnist_style(1.0 - page)
    assert box(out) == (20, 5)
    assert out[-1].any() and not out[:8].any()  # moved down as far as the field allows
    r, _ = centre_of_mass(out)
    assert 11 < r < 13.5


def test_specks_do_not_stretch_the_box(mnist):
    x = mnist[0]
    page = np.zeros((400, 400), dtype=np.float32)
    page[150:234, 120:204] = np.kron(x, np.ones((3, 3), dtype=np.float32))  # the digit, 3×
    clean = mnist_style(0.9 - 0.8 * page)
    for y0, x0 in [(5, 5), (380, 20), (30, 370), (390, 390), (10, 200)]:  # pen dots in margins
        page[y0 : y0 + 5, x0 : x0 + 5] = 1.0
    page[300, 300] = 1.0
    dirty, notes = mnist_style_with_notes(0.9 - 0.8 * page)
    np.testing.assert_allclose(dirty, clean, atol=0.005)  # the dots nudge the ink level by 0.4%
    assert notes == ["ignored 5 small marks away from the digit"]  # the single pixel is noise


def test_paper_noise_is_suppressed(mnist):
    rng = np.random.default_rng(2)
    page = np.zeros((300, 260), dtype=np.float32)
    page[60:228, 50:218] = np.kron(mnist[3], np.ones((6, 6), dtype=np.float32))
    clean = mnist_style(0.85 - 0.7 * page)
    noisy = 0.85 - 0.7 * page + rng.normal(0, 0.03, size=page.shape).astype(np.float32)
    result = mnist_style(np.clip(noisy, 0, 1))
    # the noise raises the threshold from 0.07 to 5σ = 0.15, which trims faint stroke edges
    assert float(np.abs(result - clean).mean()) < 0.02
    assert max(box(result)) == 20


def test_faint_pencil_on_grey_paper(mnist):
    page = np.zeros((150, 150), dtype=np.float32)
    page[30:114, 40:124] = np.kron(mnist[5], np.ones((3, 3), dtype=np.float32))
    faint = 0.55 - 0.15 * page  # pencil only 15% darker than grey paper
    bold = 0.95 - 0.9 * page
    assert float(np.abs(mnist_style(faint) - mnist_style(bold)).mean()) < 0.01


def test_digit_touching_the_edge_is_noted(mnist):
    x = mnist[1]
    rows = np.flatnonzero(x.any(axis=1))
    page = np.zeros((60, 50), dtype=np.float32)
    page[: 28 - rows[0], 10:38] = x[rows[0] :]  # the top stroke on row 0: cut off by the frame
    _, notes = find_ink(1.0 - page)
    assert notes == ["the digit touches the edge of the image and may be cut off: leave a margin "
                     "around it"]
    assert find_ink(1.0 - np.pad(page, 5))[1] == []


def test_components_by_hand():
    mask = np.zeros((6, 8), dtype=bool)
    mask[0, 0:3] = True  # a bar
    mask[1, 3] = True  # touches the bar diagonally: same component (8-connected)
    mask[4:6, 6:8] = True  # a block
    mask[5, 0] = True  # a lone pixel
    labels, n = label_components(mask)
    assert n == 3
    expected = np.zeros((6, 8), dtype=np.int32)
    expected[0, 0:3] = expected[1, 3] = 1
    expected[4:6, 6:8] = 2
    expected[5, 0] = 3
    np.testing.assert_array_equal(labels, expected)


def test_components_of_a_long_snake_and_random_masks():
    snake = np.zeros((65, 65), dtype=bool)
    snake[::4] = True  # rows joined alternately at the right and left ends: one long path
    for i, row in enumerate(range(0, 61, 4)):
        snake[row : row + 5, -1 if i % 2 == 0 else 0] = True
    assert label_components(snake)[1] == 1
    ndimage = pytest.importorskip("scipy.ndimage")
    rng = np.random.default_rng(3)
    for density in (0.3, 0.5, 0.6):
        mask = rng.random((90, 70)) < density
        labels, n = label_components(mask)
        theirs, m = ndimage.label(mask, structure=np.ones((3, 3)))
        assert n == m
        pairs = set(zip(labels[mask].tolist(), theirs[mask].tolist(), strict=True))
        assert len(pairs) == n  # the same partition, whatever the numbering


def test_uint8_pages_are_read_as_bytes(mnist):
    page = (255 * (0.9 - 0.8 * np.pad(mnist[7], 10))).astype(np.uint8)
    np.testing.assert_allclose(mnist_style(page), mnist_style(page / 255.0), atol=1e-5)


def test_importing_images_stays_light():
    """`barenet predict` must answer in 0.5 s: no matplotlib, no SciPy behind barenet.digits."""
    import subprocess
    import sys

    code = "import sys, barenet.digits; print(sorted({'matplotlib', 'scipy'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_fine_pen_digit_is_drawn_as_thick_as_a_marker_one():
    """A 3-pixel pen line in a 360-pixel-tall 7 would shrink to a faint ghost (about 0.2 at most)
    without thickening; it must come out like the same 7 drawn with a 30-pixel marker."""
    def seven(pen: int) -> np.ndarray:
        page = Image.new("L", (800, 600), 235)
        ImageDraw.Draw(page).line([(300, 100), (480, 100), (340, 460)], fill=30, width=pen,
                                  joint="curve")
        return mnist_style(np.asarray(page))

    fine, marker = seven(3), seven(30)
    assert fine.max() == pytest.approx(1.0, abs=0.01)
    assert fine.sum() > 0.8 * marker.sum()
    assert float(np.abs(fine - marker).mean()) < 0.03
    assert max(box(fine)) == 20
