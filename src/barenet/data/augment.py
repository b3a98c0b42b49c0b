"""Data augmentation for square digit images: random affine maps and elastic distortions.

    Augmentation(rotate=10, scale=0.1, ...)   the strengths (all 0: the identity)
    augment(images, strengths, rng)           one batch of new images, (N, 784) or (N, 28, 28)
    EpochAugmenter(images, strengths, seed)   epoch e -> that epoch's images, drawn from (seed, e)
                                              only, made when asked for by one thread per core

Every output pixel p = (x, y) (x the column, y the row, both from the top left) reads the input
at a source point s(p), by bilinear interpolation, with zeros outside the image:

    s(p) = c + A (p − c − t) + α f(p)            c = ((W−1)/2, (H−1)/2), the image centre

A = (R(θ) H(φ) k)⁻¹ undoes a rotation by θ (counter-clockwise on screen), a shear by φ and a
zoom by k, about the centre; t is a shift in pixels; f is a smooth random displacement field
(Simard et al. 2003: uniform noise in [−1, 1] smoothed by a Gaussian of width σ, times α).
docs/math.md, section "Data augmentation", derives each piece.

Cost, per image of H·W pixels, all vectorised over a chunk of images (no loop over images):
the source points, affine map and elastic field together, are one matrix product with inner
dimension r + 2, r the rank of a basis of the Gaussian smoothing (r = 8 for σ = 4 on 28
pixels); then one integer index per pixel and the gathers of its four neighbours. Pixels that
are exact multiples of 1/255 (MNIST's always are) are kept as byte pairs, a pixel and its right
neighbour in one uint16, so two gathers read all four (and the frames take 2 bytes a pixel).
Chunks are shared among threads, BLAS held to one thread meanwhile. 60,000 MNIST images take
≈ 0.25 s on 2 cores (benchmarks/README.md, "Recipes").
"""

from __future__ import annotations

import contextlib
import math
import os
import threading
from dataclasses import dataclass, fields

import numpy as np

from barenet.i18n import _

CHUNK = 128  # images resampled at once: their arrays (~400 kB each) stay in a core's caches
AFFINE_DRAWS = 5  # per image: angle, zoom, shear, shift x, shift y; each uniform in [−1, 1]
BASIS_ENERGY = 1 - 1e-4  # the elastic field's rank keeps this fraction of its variance


# The strongest deformations, in pixels, that still leave a digit in a 28×28 image (a digit is
# about 20 pixels tall, centred): a shift beyond 8 moves it out of the image, α beyond 100 tears
# it apart (Simard et al. use 34), σ beyond 14 makes the field half the image wide, a plain shift.
LIMITS = {"shift": 8.0, "elastic_alpha": 100.0, "elastic_sigma": 14.0}


@dataclass(frozen=True)
class Augmentation:
    """The strengths of the random deformations; each image draws its own, uniformly.

    rotate: degrees, θ ~ U(−rotate, rotate)      scale: zoom k ~ U(1 − scale, 1 + scale)
    shear: degrees, φ ~ U(−shear, shear)         shift: pixels, tx, ty ~ U(−shift, shift)
    elastic_alpha: α, the displacement field's scale in pixels (0: no elastic distortion)
    elastic_sigma: σ, the width in pixels of the Gaussian that smooths the field
    All zero (the default) is the identity: every image comes back unchanged.
    """

    rotate: float = 0.0
    scale: float = 0.0
    shear: float = 0.0
    shift: float = 0.0
    elastic_alpha: float = 0.0
    elastic_sigma: float = 4.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(_("augmentation {name} must be a number, got {value!r}").format(
                    name=f.name, value=value))
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(_("augmentation {name} must be finite and ≥ 0, got {value!r}").format(
                    name=f.name, value=value))
        if self.scale >= 1:
            raise ValueError(_("augmentation scale must be < 1 (zoom in 1 ± scale), got {scale}").format(
                scale=self.scale))
        if self.shear >= 90 or self.rotate > 180:
            raise ValueError(_("augmentation shear must be < 90 degrees and rotate ≤ 180"))
        if self.elastic_sigma <= 0:
            raise ValueError(_("augmentation elastic_sigma must be > 0, got {sigma}").format(
                sigma=self.elastic_sigma))
        for name, most in LIMITS.items():
            if getattr(self, name) > most:
                raise ValueError(_("augmentation {name} = {value:g} is more than {most:g} pixels: "
                                   "a 28×28 digit deformed so much is no longer a digit (training "
                                   "would reach chance level)").format(
                    name=name, value=getattr(self, name), most=most))

    @property
    def affine(self) -> bool:
        return any((self.rotate, self.scale, self.shear, self.shift))

    @property
    def identity(self) -> bool:
        return not self.affine and self.elastic_alpha == 0


# ---------------------------------------------------------------- the source points s(p)


def inverse_affine(angle: np.ndarray, zoom: np.ndarray, shear: np.ndarray) -> np.ndarray:
    """A = (R(θ) H(φ) k)⁻¹ = H(φ)⁻¹ R(θ)⁻¹ / k for each image: (n,) radians, (n,), radians -> (n, 2, 2).

    On screen (y down), the forward map turns the content by θ counter-clockwise, shears the
    columns by φ and zooms by k:  R(θ) = [[cos θ, sin θ], [−sin θ, cos θ]],  H(φ) = [[1, tan φ],
    [0, 1]].  Their inverses: R(θ)⁻¹ = [[cos θ, −sin θ], [sin θ, cos θ]], H(φ)⁻¹ = [[1, −tan φ],
    [0, 1]], so A = [[cos θ − tan φ sin θ, −sin θ − tan φ cos θ], [sin θ, cos θ]] / k.
    """
    cos, sin, tan = np.cos(angle), np.sin(angle), np.tan(shear)
    a = np.empty((len(angle), 2, 2))
    a[:, 0, 0], a[:, 0, 1] = cos - tan * sin, -sin - tan * cos
    a[:, 1, 0], a[:, 1, 1] = sin, cos
    return a / zoom[:, None, None]


def affine_coefficients(a: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """The rows of s(p) = c + A (p − c − t) as coefficients of (p − c, 1): (n, 2, 2), (n, 2) -> (n, 2, 3).

    s = A (p − c) + (c − A t): the x row is [A₀₀, A₀₁, c_x − (A t)_x], the y row likewise (c is
    added by `source_points`, so the constant column here is −A t).
    """
    coefficients = np.empty((len(a), 2, 3))
    coefficients[:, :, :2] = a
    coefficients[:, :, 2] = -np.einsum("nij,nj->ni", a, shift)
    return coefficients


def smoothing_matrix(size: int, sigma: float) -> np.ndarray:
    """G: (size, size), G[i, j] = g(i − j), the normalised Gaussian g(d) = e^(−d²/2σ²) / Σ_d e^(−d²/2σ²).

    G u smooths a column u, u Gᵀ a row; zeros are assumed outside the image (the field there
    does not matter). The kernel is normalised over all integers d, as a convolution's would be.
    """
    d = np.arange(-4 * size, 4 * size + 1)
    norm = np.exp(-(d**2) / (2 * sigma**2)).sum()
    i = np.arange(size)
    return np.exp(-((i[:, None] - i[None, :]) ** 2) / (2 * sigma**2)) / norm


def smoothing_basis(size: int, sigma: float) -> np.ndarray:
    """Φ: (size, r) with Φ Z Φᵀ distributed like G U Gᵀ up to the variance it drops.

    G is symmetric: G = Q Λ Qᵀ. For U with i.i.d. entries of variance v, Qᵀ U Q has uncorrelated
    entries of variance v again, so G U Gᵀ = Q Λ (Qᵀ U Q) Λ Qᵀ has the covariance of Φ Z Φᵀ with
    Φ = Q Λ and Z i.i.d. of variance v. Keeping the r largest |λ| (the variance of entry (i, j)
    of Z is carried by λᵢ² λⱼ²) loses 1 − BASIS_ENERGY of the field's variance: r = 8 instead of
    28 for σ = 4, so each image draws 2·r² numbers, not 2·28².
    """
    eigenvalues, vectors = np.linalg.eigh(smoothing_matrix(size, sigma))
    order = np.argsort(-np.abs(eigenvalues))
    eigenvalues, vectors = eigenvalues[order], vectors[:, order]
    energy = np.cumsum(eigenvalues**2) ** 2 / np.sum(eigenvalues**2) ** 2  # Σ_{i,j≤r} λᵢ²λⱼ²
    rank = int(np.searchsorted(energy, BASIS_ENERGY) + 1)
    return (vectors[:, :rank] * eigenvalues[:rank]).astype(np.float32)


def right_factor(basis: np.ndarray | None, alpha: float, size: int) -> np.ndarray:
    """The right factor of `source_points`: [α Φᵀ; (j − c)ⱼ; 1ⱼ], (r + 2, size) float32 (r = 0: no field)."""
    rank = 0 if basis is None else basis.shape[1]
    right = np.empty((rank + 2, size), np.float32)
    if rank:
        right[:rank] = np.float32(alpha) * basis.T
    right[rank] = np.arange(size) - (size - 1) / 2
    right[rank + 1] = 1
    return right


def source_points(coefficients: np.ndarray, z: np.ndarray | None, basis: np.ndarray | None,
                  right: np.ndarray, left: np.ndarray, out: np.ndarray) -> np.ndarray:
    """s(p) = c + A (p − c) − A t + α f(p) for every pixel of n images, one matrix product.

    coefficients (n, 2, 3) from `affine_coefficients`; z (2, n, r, r) uniform in [−1, 1] (None
    without a field); basis Φ (size, r); right from `right_factor`; left (2, n, size, r + 2) and
    out (2, n, size²) float32, overwritten (out[0] the source x, out[1] the source y).

    Row i (the pixel row, y) of image n's axis a in the left factor holds the r numbers of row i
    of (Z Φᵀ)ᵀ, then A_a0, then A_a1 (i − c) − (A t)_a + c. Times the right factor's column j
    (the pixel column, x), that is α (Φ Z Φᵀ)ᵀ_ij + A_a0 (j − c) + A_a1 (i − c) − (A t)_a + c:
    component a of the source point of pixel (j, i), with the field transposed, which has the
    field's distribution. So the affine map and the field together cost one (2·n·size, r + 2)
    @ (r + 2, size) product, plus (2·n·r, r) @ (r, size) for Z Φᵀ.
    """
    n, size = len(coefficients), right.shape[1]
    rank = right.shape[0] - 2
    by_axis = coefficients.transpose(1, 0, 2)  # (2, n, 3)
    rows = np.arange(size) - (size - 1) / 2  # i − c
    if rank:
        zb = (z.reshape(-1, rank) @ basis.T).reshape(2, n, rank, size)  # Z Φᵀ
        left[..., :rank] = zb.transpose(0, 1, 3, 2)  # (Z Φᵀ)ᵀ
    left[..., rank] = by_axis[:, :, 0, None]
    left[..., rank + 1] = by_axis[:, :, 1, None] * rows + (by_axis[:, :, 2, None] + (size - 1) / 2)
    np.matmul(left.reshape(-1, rank + 2), right, out=out.reshape(-1, size))
    return out


# ---------------------------------------------------------------- bilinear resampling


def padded(images: np.ndarray, size: int) -> np.ndarray:
    """The images framed by zeros, one row and column before, two after: (N, size²) -> (N, (size+3)²).

    With source points clipped to [−1, size], every bilinear neighbour then lies in the frame,
    and one outside the image reads 0 (see `bilinear`). Float32 frames stay float32; uint8
    ones become byte pairs, uint16 p[k] = I[k] + 256·I[k+1] (a pixel and its right neighbour):
    one gather then reads both, and the frames take half the memory of float32 ones.
    """
    side = size + 3
    frame = np.zeros((len(images), side, side), dtype=images.dtype)
    frame[:, 1 : size + 1, 1 : size + 1] = images.reshape(-1, size, size)
    frame = frame.reshape(len(images), side * side)
    if images.dtype != np.uint8:
        return frame
    pairs = frame.astype(np.uint16)
    pairs[:, :-1] |= pairs[:, 1:] << 8  # the last pixel of a frame is never a left neighbour
    return pairs


class Workspace:
    """The arrays of `bilinear` for a chunk of n images, allocated once per worker and reused
    (fresh arrays for every chunk cost more in page faults than the arithmetic on them)."""

    def __init__(self, n: int, size: int, rank: int) -> None:
        pixels = size * size
        self.left = np.empty((2, n, size, rank + 2), np.float32)  # see `source_points`
        self.points = np.empty((2, n, pixels), np.float32)  # source x, y; then u, v
        self.corner = np.empty((2, n, pixels), np.float32)  # ⌊x⌋, ⌊y⌋
        self.index32 = np.empty((n, pixels), np.int32)
        self.index = np.empty((n, pixels), np.intp)
        self.neighbours = np.empty((4, n, pixels), np.float32)  # I₀₀, I₁₀, I₀₁, I₁₁
        self.pairs = np.empty((2, n, pixels), np.uint16)  # byte pairs (I₀₀, I₁₀), (I₀₁, I₁₁)
        side = size + 3
        # the frame's first pixel of image i, plus the (1, 1) offset of the image in its frame
        self.base = (np.arange(n, dtype=np.float32) * (side * side) + side + 1)[:, None]


def gather_neighbours(frames: np.ndarray, index: np.ndarray, side: int, work: Workspace) -> np.ndarray:
    """I₀₀, I₁₀, I₀₁, I₁₁ at index k (I₀₀'s place in the flat frames): (n, P) -> (4, n, P) float32.

    Float frames: four gathers, at k + 0, 1, side, side + 1. Byte pairs (`padded`): two, at k
    and k + side, each split into its low byte (the left pixel) and high byte (the right one);
    the values are then 0..255.
    """
    flat, nb = frames.ravel(), work.neighbours
    if frames.dtype != np.uint16:
        for k, offset in enumerate((0, 1, side, side + 1)):
            # mode="clip": with out=, "raise" would gather into a temporary first; k is in range
            np.take(flat[offset:], index, out=nb[k], mode="clip")
        return nb
    for row, offset in enumerate((0, side)):
        pair = np.take(flat[offset:], index, out=work.pairs[row], mode="clip")
        nb[2 * row + 1] = pair >> 8  # the right pixel
        nb[2 * row] = np.bitwise_and(pair, 0xFF, out=pair)  # the left pixel
    return nb


def bilinear(frames: np.ndarray, points: np.ndarray, size: int, out: np.ndarray,
             work: Workspace) -> None:
    """Bilinear samples of framed images at source points, written into out: (n, size²) float32.

    frames: (n, (size+3)²) from `padded`; points: (2, n, size²) source x and y, overwritten;
    work: a Workspace for n images.
    With x₀ = ⌊x⌋, y₀ = ⌊y⌋, u = x − x₀, v = y − y₀ and the neighbours I₀₀ = I(x₀, y₀),
    I₁₀ = I(x₀+1, y₀), I₀₁ = I(x₀, y₀+1), I₁₁ = I(x₀+1, y₀+1):

        I(x, y) = (1 − v)·[I₀₀ + u (I₁₀ − I₀₀)] + v·[I₀₁ + u (I₁₁ − I₀₁)]

    exact at pixel centres (u = v = 0 returns I₀₀ bit for bit) and linear along each axis.
    Points are clipped to [−1, size]: beyond the image every neighbour is a zero of the frame,
    so clipping changes nothing. One integer index k = n·side² + (y₀+1)·side + (x₀+1) per pixel
    addresses I₀₀ (float32 holds these integers exactly, below 2²⁴); `gather_neighbours` reads
    the four neighbours from there. Byte frames are interpolated in 0..255 and divided by 255
    at the end, as `to_float01` divides: the same bits at pixel centres.
    """
    side = size + 3
    corner = work.corner
    np.clip(points, -1, size, out=points)
    np.floor(points, out=corner)
    points -= corner  # now the fractions u, v
    u, v = points
    flat_index = corner[1]  # reused: k = y₀·side + x₀ + base, exact in float32
    flat_index *= np.float32(side)
    flat_index += corner[0]
    flat_index += work.base
    work.index32[...] = flat_index  # float32 → int32 → intp: 2× faster than float32 → intp
    work.index[...] = work.index32
    nb = gather_neighbours(frames, work.index, side, work)
    row, lower = nb[1], nb[3]  # overwritten in place: every operand float32 and contiguous
    row -= nb[0]
    row *= u
    row += nb[0]  # I₀₀ + u (I₁₀ − I₀₀)
    lower -= nb[2]
    lower *= u
    lower += nb[2]  # I₀₁ + u (I₁₁ − I₀₁)
    lower -= row
    lower *= v
    np.add(row, lower, out=out)
    if frames.dtype == np.uint16:
        np.divide(out, np.float32(255), out=out)


# ---------------------------------------------------------------- drawing and rendering


def image_side(images: np.ndarray) -> int:
    """The side of square images given as (N, side²) or (N, side, side); ValueError otherwise."""
    if images.ndim == 3 and images.shape[1] == images.shape[2]:
        return images.shape[1]
    side = math.isqrt(images.shape[1]) if images.ndim == 2 else 0
    if images.ndim != 2 or side * side != images.shape[1] or side == 0:
        raise ValueError(f"augmentation takes square images, (N, 784) or (N, 28, 28); got {images.shape}")
    return side


def as_pixels(images: np.ndarray) -> np.ndarray:
    """The images as uint8 if they are exactly k/255 (lossless), else float32: (N, ...) -> same shape.

    Raises ValueError if the pixels are outside [0, 1] (augmentation works on pixel values:
    apply a standardisation after it, not before).
    """
    images = np.asarray(images)
    if images.dtype == np.uint8:
        return images
    if images.size and not (images.min() >= 0 and images.max() <= 1):
        raise ValueError("augmentation takes pixels in [0, 1] (or uint8); standardise after it")
    levels = np.rint(images * np.float32(255)).astype(np.uint8)
    exact = np.array_equal(np.divide(levels, np.float32(255), dtype=np.float32), images)
    return levels if exact else images.astype(np.float32)


class Renderer:
    """Draws each image's deformation and resamples it: the work shared by `augment` and epochs.

    What depends only on the image side and the strengths is computed once: the elastic basis
    Φ (side, r) and the right factor of `source_points`. The images are rendered in chunks of
    CHUNK, shared among `threads` Python threads (NumPy releases the GIL in its loops). BLAS is
    held to one thread meanwhile (threadpoolctl): a chunk's products are too small to share,
    and BLAS's own worker threads, spinning after each one, take the cores the resampling
    needs (on 2 cores the source points cost 3× and a second resampling thread gains nothing).
    """

    def __init__(self, strengths: Augmentation, side: int, threads: int = 1) -> None:
        self.strengths, self.side, self.threads = strengths, side, max(1, int(threads))
        self.basis = (smoothing_basis(side, strengths.elastic_sigma)
                      if strengths.elastic_alpha > 0 else None)
        self.rank = 0 if self.basis is None else self.basis.shape[1]
        self.right = right_factor(self.basis, strengths.elastic_alpha, side)
        self.work: dict[tuple, Workspace] = {}  # (images in the chunk, worker) -> arrays
        self.busy = threading.Lock()  # one render at a time: the workers' arrays are shared

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Every random number of n images, in a fixed order: (n, 5 [+ 2 r²]) float32 in [−1, 1).

        Columns: angle, zoom, shear, shift x, shift y, then the elastic Z of both axes.
        """
        draws = rng.random((n, AFFINE_DRAWS + 2 * self.rank**2), dtype=np.float32)  # [0, 1)
        draws *= 2
        draws -= 1
        return draws

    def render(self, frames: np.ndarray, draws: np.ndarray, out: np.ndarray, transform=None, *,
               limit_blas: bool = True) -> None:
        """frames (N, (side+3)²), draws (N, ·) from `draw` -> out (N, side²) float32 in [0, 1]
        (or `transform` of it, applied chunk by chunk). Each chunk depends on its draws only,
        so the images are the same for any number of threads. limit_blas=False leaves BLAS's
        thread count alone (for rendering beside a thread that trains)."""
        errors: list[BaseException] = []
        coefficients = self.coefficients(draws)

        def chunks(worker: int) -> None:
            try:
                for start in range(worker * CHUNK, len(draws), CHUNK * self.threads):
                    chunk = slice(start, start + CHUNK)
                    self.render_chunk(frames[chunk], draws[chunk], coefficients[chunk],
                                      out[chunk], worker)
                    if transform is not None:
                        out[chunk] = transform(out[chunk])
            except BaseException as exc:  # raised below, in the caller's thread
                errors.append(exc)

        with self.busy, one_blas_thread() if limit_blas else contextlib.nullcontext():
            workers = [threading.Thread(target=chunks, args=(k,)) for k in range(1, self.threads)]
            for worker in workers:
                worker.start()
            chunks(0)
            for worker in workers:
                worker.join()
        if errors:
            raise errors[0]

    def coefficients(self, draws: np.ndarray) -> np.ndarray:
        """The affine rows [A | −A t] of every image from its draws: (N, ·) -> (N, 2, 3) float64.

        Done for all images at once, before the chunks: small per-chunk arrays would spend their
        time in Python, which threads cannot share.
        """
        s, d = self.strengths, draws[:, :AFFINE_DRAWS].astype(np.float64)
        a = inverse_affine(np.radians(s.rotate) * d[:, 0], 1 + s.scale * d[:, 1],
                           np.radians(s.shear) * d[:, 2])
        return affine_coefficients(a, s.shift * d[:, 3:5])

    def render_chunk(self, frames: np.ndarray, draws: np.ndarray, coefficients: np.ndarray,
                     out: np.ndarray, worker: int = 0) -> None:
        """One chunk of n images: their source points, then `bilinear`, in the worker's arrays."""
        n = len(draws)
        key = (n, worker)  # a full chunk or the last; one set per worker, kept between epochs
        if key not in self.work:
            self.work[key] = Workspace(n, self.side, self.rank)
        work = self.work[key]
        z = None
        if self.rank:
            z = draws[:, AFFINE_DRAWS:].reshape(n, 2, self.rank, self.rank).transpose(1, 0, 2, 3)
        points = source_points(coefficients, z, self.basis, self.right, work.left, work.points)
        bilinear(frames, points, self.side, out, work)


def one_blas_thread():
    """A context in which BLAS runs single-threaded (the limit is lifted on leaving it)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def augment(images: np.ndarray, strengths: Augmentation, rng: np.random.Generator) -> np.ndarray:
    """New images, each deformed by its own random draw: (N, side²) or (N, side, side) -> float32, same shape.

    images: pixels in [0, 1] (float) or 0..255 (uint8); the result is float32 in [0, 1].
    """
    side = image_side(np.asarray(images))
    pixels = as_pixels(images)
    renderer = Renderer(strengths, side)
    draws = renderer.draw(rng, len(pixels))
    out = np.empty((len(pixels), side * side), dtype=np.float32)
    renderer.render(padded(pixels.reshape(len(pixels), side * side), side), draws, out)
    return out.reshape(np.shape(images))


STREAM = 0xA06  # the epoch's generator: SeedSequence([seed, epoch], spawn_key=(STREAM,))


def epoch_generator(seed: int, epoch: int) -> np.random.Generator:
    """The augmentation's own random stream for an epoch, independent of fit's ([seed, epoch])."""
    return np.random.default_rng(np.random.SeedSequence([seed, epoch], spawn_key=(STREAM,)))


class EpochAugmenter:
    """`augmenter(epoch)` -> that epoch's images, (N, side²) float32: a function of (seed, epoch) only.

    Built for `fit(..., epoch_inputs=augmenter)`: each epoch trains on new images, and a run
    resumed at epoch e sees exactly the images the uninterrupted run saw. The images (N, side²)
    or (N, side, side), in [0, 1] or uint8, are framed once; `transform` (e.g. a standardisation,
    (n, side²) -> (n, side²)) is applied to each block after resampling.

    The images are made when asked for, by `threads` threads (default: one per core, at most
    8; one with `prefetch`), BLAS held to one thread meanwhile (see `Renderer`). That is what
    `barenet train` does: on 2 cores it costs least (benchmarks/README.md, "Recipes").

    With `prefetch`, returning epoch e's images starts epoch e + 1's in a background thread, into
    a second buffer, while the caller trains on epoch e (BLAS's thread count is then left alone:
    the limit is global and would slow the training); the buffer of epoch e is not touched until
    epoch e + 2 starts, so the caller must be done with an epoch's array when it asks for the
    epoch after next. No epoch at or after `epochs` (the run's length, if given) is prefetched.
    It pays only where cores are left over while training: on 2 cores the background thread
    competes with BLAS's two and slows training more than it saves.
    """

    def __init__(self, images: np.ndarray, strengths: Augmentation, seed: int, *,
                 transform=None, prefetch: bool = False, epochs: int | None = None,
                 threads: int | None = None) -> None:
        side = image_side(np.asarray(images))
        pixels = as_pixels(images)
        self.n, self.side = len(pixels), side
        self.frames = padded(pixels.reshape(self.n, side * side), side)
        if threads is None:  # one per core; one beside a training thread
            threads = 1 if prefetch else min(os.cpu_count() or 1, 8)
        self.renderer = Renderer(strengths, side, threads)
        self.seed, self.transform, self.prefetch, self.epochs = seed, transform, prefetch, epochs
        self.buffers: list[np.ndarray] = []
        self.pending: tuple[int, threading.Thread, list] | None = None  # epoch, thread, [buffer, error]

    def images(self, epoch: int, out: np.ndarray, *, limit_blas: bool = True) -> np.ndarray:
        """Epoch `epoch`'s images written into out (N, side²) float32, chunk by chunk.

        Every chunk's result depends only on its draws, so the images are the same for any
        number of threads (and with or without the BLAS limit: one thread's sums are the same).
        """
        draws = self.renderer.draw(epoch_generator(self.seed, epoch), self.n)
        self.renderer.render(self.frames, draws, out, self.transform, limit_blas=limit_blas)
        return out

    def _buffer(self, busy: np.ndarray | None) -> np.ndarray:
        """A buffer other than `busy`, allocated on first use (at most two)."""
        for buffer in self.buffers:
            if buffer is not busy:
                return buffer
        self.buffers.append(np.empty((self.n, self.side * self.side), dtype=np.float32))
        return self.buffers[-1]

    def _start(self, epoch: int, busy: np.ndarray) -> None:
        result: list = [self._buffer(busy), None]

        def work() -> None:
            try:
                self.images(epoch, result[0], limit_blas=False)
            except BaseException as exc:  # handed to the caller in __call__
                result[1] = exc

        thread = threading.Thread(target=work, name=f"augment-epoch-{epoch}", daemon=True)
        self.pending = (epoch, thread, result)
        thread.start()

    def _finish(self) -> tuple[int, np.ndarray] | None:
        """Wait for the background epoch, if any: (epoch, images), re-raising its error."""
        if self.pending is None:
            return None
        epoch, thread, (buffer, error) = self.pending
        thread.join()
        self.pending = None
        if error is not None:
            raise error
        return epoch, buffer

    def __call__(self, epoch: int) -> np.ndarray:
        done = self._finish()
        if done is not None and done[0] == epoch:
            images = done[1]
        else:
            images = self.images(epoch, self._buffer(None))  # nothing else is being written
        if self.prefetch and (self.epochs is None or epoch + 1 < self.epochs):
            self._start(epoch + 1, images)
        return images

    def wait(self) -> None:
        """Block until the background epoch's images are ready (they stay for the next call)."""
        if self.pending is not None:
            self.pending[1].join()

    def close(self) -> None:
        """Wait for a background epoch to end (its result is dropped)."""
        if self.pending is not None:
            self.pending[1].join()
            self.pending = None
