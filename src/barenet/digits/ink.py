"""Finding the ink: which side is ink, how strong it is, and which marks are specks.

    gray: (H, W) float32 brightness in [0, 1]  ->  ink: (H, W) float32 in [0, 1], 0 = paper

in four steps:

1. Paper. The paper colour is the median brightness of a thin ring along the image border
   (a digit rarely covers half the border), and the paper noise σ is 1.4826 × the median
   absolute deviation there (σ of Gaussian noise, unmoved by ink that reaches the border).
2. Which side is ink. Only pixels farther than a noise floor from the paper count; the side
   (darker or lighter than the paper) with more such "ink mass" is the ink. Dark ink on light
   paper — every photo of a handwritten digit — is inverted; MNIST's own white on black is kept.
   This is a vote of the whole image, not a guess from the mean: a grey page, a black page, and a
   page that is mostly white all decide by where the marks are.
3. Strength. Ink strength = |brightness − paper| on the ink side. Pixels below a threshold are
   paper (the larger of 5σ, 10% of the ink level and 0.04), the rest are divided by the ink level
   (the 95th percentile of the strengths above the noise floor), so a pencil digit and a marker
   digit both end with stroke cores at 1, as in MNIST, and their anti-aliased edges stay grey.
4. Specks. Connected components of the ink (found on a ≤ 128-pixel max-pooled copy, so that
   specks near a stroke simply join it) are kept when they hold at least 10% of the largest
   component's ink, or when they lie inside the box of those big components grown by 10% (a
   faint fragment of a stroke, a speck within the digit: harmless, as they cannot move the box).
   Everything else (dust, a stray dot, a pen mark in the corner) is dropped, so it cannot stretch
   the bounding box that decides the digit's size.
"""

from __future__ import annotations

import numpy as np

from barenet.digits.components import label_components
from barenet.errors import ConfigError, ImageError
from barenet.i18n import _, ngettext

INK_SIDES = ("auto", "dark", "light")
MIN_SIDE = 8  # pixels: smaller than this cannot show a digit
MIN_CONTRAST = 0.1  # ink must differ from the paper by 10% of the full brightness range
MIN_INK_PIXELS = 5
COARSE_SIDE = 128  # the size at which ink components are found


def find_ink(
    gray: np.ndarray, *, ink: str = "auto", source_name: str = "image"
) -> tuple[np.ndarray, list[str]]:
    """Ink strength of every pixel, with the paper at 0 and the stroke cores at 1.

    gray: (H, W) float brightness in [0, 1] (0 = black), or uint8 read as bytes / 255.
    ink: "auto" (decide), "dark" (dark ink on light paper) or "light".
    Returns (ink (H, W) float32 in [0, 1], notes). Raises `ImageError` when the image is too
    small or holds no ink.
    """
    if ink not in INK_SIDES:
        raise ConfigError(_("ink must be one of {sides}, not {ink!r}").format(
                              sides=", ".join(INK_SIDES), ink=ink))
    gray = np.asarray(gray)
    if gray.dtype == np.uint8:  # bytes as Pillow gives them
        gray = gray.astype(np.float32) / 255.0
    gray = np.clip(np.nan_to_num(gray.astype(np.float32, copy=False)), 0.0, 1.0)
    if gray.ndim != 2:
        raise ImageError(_("{source_name!r}: expected a grayscale (H, W) array, got shape {shape}: "
                           "convert the image to one channel first").format(
                             source_name=source_name, shape=gray.shape))
    h, w = gray.shape
    if min(h, w) < MIN_SIDE:
        raise ImageError(_("image {name!r} is {w}×{h} pixels, too small to hold a digit (at least "
                           "{side}×{side} is needed): use a bigger picture").format(
                             name=source_name, w=w, h=h, side=MIN_SIDE))
    notes: list[str] = []

    paper, sigma = _paper(gray)
    noise_floor = max(5.0 * sigma, 0.04)
    deviation = gray - np.float32(paper)  # (H, W): < 0 darker than the paper, > 0 lighter
    if ink == "auto":
        darker = float(np.clip(-deviation - noise_floor, 0.0, None).sum())
        lighter = float(np.clip(deviation - noise_floor, 0.0, None).sum())
        ink = "dark" if darker >= lighter else "light"
    strength = np.clip(-deviation if ink == "dark" else deviation, 0.0, None)  # (H, W)

    marks = strength[strength > noise_floor]
    level = float(np.percentile(marks, 95)) if marks.size else 0.0
    if level < MIN_CONTRAST:
        raise ImageError(
            _("no ink found in {name!r}: the page is almost uniform (paper brightness {paper:.2f}, "
              "strongest {ink} marks differ by {level:.2f}); write the digit darker or bigger, with "
              "a thick pen, on plain paper").format(
                name=source_name, paper=paper, level=level,
                ink=_("dark") if ink == "dark" else _("light")))
    threshold = max(noise_floor, 0.1 * level)
    inked = np.where(strength >= threshold, np.minimum(strength / level, 1.0), 0.0)  # (H, W)
    inked = inked.astype(np.float32)

    inked, dropped = _drop_specks(inked)
    if dropped:
        notes.append(ngettext("ignored {n} small mark away from the digit",
                              "ignored {n} small marks away from the digit", dropped).format(n=dropped))
    count = int(np.count_nonzero(inked))
    if count < MIN_INK_PIXELS:
        raise ImageError(ngettext(
            "image {name!r} holds only {count} pixel of ink, too few for a digit: write the digit "
            "bigger, or crop the photo closer to it",
            "image {name!r} holds only {count} pixels of ink, too few for a digit: write the digit "
            "bigger, or crop the photo closer to it", count).format(name=source_name, count=count))
    if inked[0].any() or inked[-1].any() or inked[:, 0].any() or inked[:, -1].any():
        notes.append(_("the digit touches the edge of the image and may be cut off: leave a "
                       "margin around it"))
    return inked, notes


def _paper(gray: np.ndarray) -> tuple[float, float]:
    """Paper brightness and noise σ, from a border ring about 1/32 of the short side wide.

    σ starts from the median absolute deviation (1.4826 · MAD is σ for Gaussian noise, whatever
    ink reaches the border) and is refined twice as the standard deviation of the ring pixels
    within 3.5σ of the paper: MAD alone is too coarse on 8-bit images, where it can only take
    whole steps of 1/255 and so underestimates faint noise by a third.
    """
    b = max(1, min(gray.shape) // 32)
    ring = np.concatenate([
        gray[:b].ravel(), gray[-b:].ravel(), gray[b:-b, :b].ravel(), gray[b:-b, -b:].ravel(),
    ])
    paper = float(np.median(ring))
    offsets = np.abs(ring - paper)
    sigma = 1.4826 * float(np.median(offsets))
    for _round in range(2):
        inliers = offsets[offsets <= max(3.5 * sigma, 1.5 / 255)]
        sigma = float(np.sqrt(np.mean(inliers**2)))
    return paper, sigma


def _drop_specks(inked: np.ndarray) -> tuple[np.ndarray, int]:
    """Zero the ink components that are specks (see the module docstring).

    Returns the cleaned ink and the number of dropped marks worth telling the user about: those
    holding at least 1% of the largest component's ink (smaller ones are paper noise).
    """
    h, w = inked.shape
    f = max(1, -(-max(h, w) // COARSE_SIDE))  # block size, ceil division
    hb, wb = -(-h // f), -(-w // f)
    padded = np.zeros((hb * f, wb * f), dtype=np.float32)
    padded[:h, :w] = inked
    blocks = padded.reshape(hb, f, wb, f)  # (hb, f, wb, f): block (i, j) is [i, :, j, :]
    mass = blocks.sum(axis=(1, 3))  # (hb, wb) ink per block
    labels, n = label_components(mass > 0)
    if n <= 1:
        return inked, 0

    comp_mass = np.bincount(labels.ravel(), weights=mass.ravel(), minlength=n + 1)[1:]  # (n,)
    ys, xs = np.nonzero(labels)
    ids = labels[ys, xs] - 1
    top = np.full(n, hb)
    bottom = np.full(n, -1)
    left = np.full(n, wb)
    right = np.full(n, -1)
    np.minimum.at(top, ids, ys)
    np.maximum.at(bottom, ids, ys)
    np.minimum.at(left, ids, xs)
    np.maximum.at(right, ids, xs)

    big = comp_mass >= 0.1 * comp_mass.max()
    box_t, box_b = top[big].min(), bottom[big].max()
    box_l, box_r = left[big].min(), right[big].max()
    grow = 0.1 * max(box_b - box_t + 1, box_r - box_l + 1) + 1
    inside = (
        (top >= box_t - grow) & (bottom <= box_b + grow)
        & (left >= box_l - grow) & (right <= box_r + grow)
    )
    keep = big | inside  # (n,)
    dropped = int(np.count_nonzero(~keep & (comp_mass >= 0.01 * comp_mass.max())))  # noted ones
    if keep.all():
        return inked, 0
    keep_blocks = np.concatenate([[False], keep])[labels]  # (hb, wb)
    keep_pixels = np.repeat(np.repeat(keep_blocks, f, axis=0), f, axis=1)[:h, :w]  # (h, w)
    return np.where(keep_pixels, inked, 0.0).astype(np.float32), dropped
