"""Augmentation: identity, shapes/range/order kept, reproducible per (seed, epoch), known rotations."""

from __future__ import annotations

import math

import numpy as np
import pytest

from barenet.data.augment import (
    Augmentation,
    EpochAugmenter,
    affine_coefficients,
    augment,
    inverse_affine,
    right_factor,
    smoothing_basis,
    smoothing_matrix,
    source_points,
)

STRONG = Augmentation(rotate=15, scale=0.15, shear=15, shift=3, elastic_alpha=34, elastic_sigma=4)


@pytest.fixture(scope="module")
def digits(mnist) -> np.ndarray:
    """300 MNIST digits as uint8 (N, 28, 28)."""
    return mnist.train_images[:300]


def to01(images: np.ndarray) -> np.ndarray:
    return np.divide(images.reshape(len(images), -1), np.float32(255), dtype=np.float32)


@pytest.mark.parametrize("form", ["uint8 rows", "uint8 squares", "float rows", "odd floats"])
def test_identity_strengths_give_the_images_back_bit_for_bit(digits, form):
    images = {
        "uint8 rows": digits.reshape(len(digits), -1),
        "uint8 squares": digits,
        "float rows": to01(digits),
        "odd floats": np.random.default_rng(1).random((20, 784), dtype=np.float32),  # not k/255
    }[form]
    expected = images / np.float32(255) if images.dtype == np.uint8 else images
    out = augment(images, Augmentation(), np.random.default_rng(0))
    assert out.dtype == np.float32 and out.shape == images.shape
    np.testing.assert_array_equal(out, expected.astype(np.float32))
    epochs = EpochAugmenter(images, Augmentation(), seed=3, prefetch=False)
    np.testing.assert_array_equal(epochs(5), expected.reshape(len(images), -1))


def test_shapes_dtype_and_pixel_range_are_kept(digits):
    out = augment(digits, STRONG, np.random.default_rng(0))
    assert out.shape == digits.shape and out.dtype == np.float32
    assert out.min() >= 0 and out.max() <= 1
    assert not np.array_equal(out, to01(digits).reshape(digits.shape))
    rows = EpochAugmenter(to01(digits), STRONG, seed=0, prefetch=False)(0)
    assert rows.shape == (len(digits), 784) and 0 <= rows.min() and rows.max() <= 1


def test_each_image_stays_in_its_row_so_its_label_still_applies(digits):
    """Row i of the output is image i deformed, by draw i: the same deformation commutes with
    reordering the images, and changing image j changes row j of an epoch and no other."""
    same = only(rotate=10, shift=1)
    order = np.random.default_rng(0).permutation(len(digits))
    np.testing.assert_array_equal(fixed(same, digits)[order], fixed(same, digits[order]))
    changed = digits.copy()
    changed[17] = digits[18]
    before = EpochAugmenter(digits, STRONG, seed=0, prefetch=False)(0)
    after = EpochAugmenter(changed, STRONG, seed=0, prefetch=False)(0)
    differs = np.flatnonzero(np.any(before != after, axis=1))
    assert differs.tolist() == [17]


def test_an_epoch_depends_on_the_seed_and_epoch_only(digits):
    a = EpochAugmenter(digits, STRONG, seed=7, prefetch=False)
    b = EpochAugmenter(digits, STRONG, seed=7, prefetch=True)
    epoch3 = a(3).copy()
    later = [b(1).copy(), b(2).copy(), b(3).copy()]  # b prefetched 2 and 3 in its thread
    np.testing.assert_array_equal(later[2], epoch3)
    np.testing.assert_array_equal(a(1), later[0])  # order of the calls does not matter
    b.close()
    assert not np.array_equal(later[0], later[1])  # new images every epoch
    other_seed = EpochAugmenter(digits, STRONG, seed=8, prefetch=False)(3)
    assert not np.array_equal(other_seed, epoch3)
    np.testing.assert_array_equal(augment(digits, STRONG, np.random.default_rng(5)),
                                  augment(digits, STRONG, np.random.default_rng(5)))


def only(**strengths: float) -> Augmentation:
    return Augmentation(**strengths)


def fixed(strengths: Augmentation, images: np.ndarray) -> np.ndarray:
    """Augment with every random draw at its maximum (+1): angle = rotate, zoom = 1 + scale, ..."""

    class Top:  # a draw is 2·U[0, 1) − 1: random() = 1 gives +1, the edge of the range
        def random(self, size, dtype):
            return np.ones(size, dtype)

    return augment(images, strengths, Top())


def test_a_rotation_by_90_degrees_is_numpys_rot90(digits):
    out = fixed(only(rotate=90), digits[:10])
    expected = np.rot90(to01(digits[:10]).reshape(10, 28, 28), k=1, axes=(1, 2))  # counter-clockwise
    np.testing.assert_allclose(out, expected, atol=1e-6)


def test_a_rotation_by_30_degrees_of_a_ramp_matches_the_hand_computed_image():
    """Bilinear interpolation is exact on a linear image f(x, y) = (x + 2y) / 81, so each output
    pixel p must equal f(c + R(θ)⁻¹ (p − c)) wherever that source point lies inside the image.

    By hand, for p = (x, y) = (20, 13), c = (13.5, 13.5), θ = 30°: p − c = (6.5, −0.5);
    R⁻¹ (p − c) = (cos θ·6.5 + sin θ·0.5, sin θ·6.5 − cos θ·0.5) = (5.8792, 2.8170), so the source
    is (19.3792, 16.3170) and the pixel is (19.3792 + 32.6340) / 81 = 0.64214.
    """
    y, x = np.mgrid[0:28, 0:28]
    ramp = ((x + 2 * y) / 81).astype(np.float32)[None]  # in [0, 1]
    out = fixed(only(rotate=30), ramp)[0]
    assert out[13, 20] == pytest.approx(0.64214, abs=1e-5)
    theta = math.radians(30)
    dx, dy = x - 13.5, y - 13.5
    sx = 13.5 + math.cos(theta) * dx - math.sin(theta) * dy
    sy = 13.5 + math.sin(theta) * dx + math.cos(theta) * dy
    inside = (sx >= 0) & (sx <= 27) & (sy >= 0) & (sy <= 27)
    assert inside.sum() > 400
    np.testing.assert_allclose(out[inside], ((sx + 2 * sy) / 81)[inside], atol=1e-5)
    assert np.all(out[(sx < -1) | (sx > 28) | (sy < -1) | (sy > 28)] == 0)  # zeros outside


def test_a_shift_moves_the_digit_by_whole_pixels(digits):
    out = fixed(only(shift=2), digits[:5])  # tx = ty = +2: the content moves 2 right, 2 down
    image = to01(digits[:5]).reshape(5, 28, 28)
    np.testing.assert_allclose(out[:, 2:, 2:], image[:, :-2, :-2], atol=1e-6)
    assert np.all(out[:, :2, :] == 0) and np.all(out[:, :, :2] == 0)


def test_a_zoom_enlarges_about_the_centre():
    image = np.zeros((1, 28, 28), np.float32)
    image[0, 10:18, 10:18] = 1  # an 8×8 square about the centre
    out = fixed(only(scale=0.5), image)[0]  # zoom 1.5: the square becomes 12×12
    assert np.count_nonzero(out > 0.5) == pytest.approx(144, abs=12)
    assert out[13, 13] == 1 and out[6, 6] == 0  # edges at 13.5 ± 4·1.5 = 7.5, 19.5


def test_the_low_rank_elastic_field_has_the_covariance_of_the_smoothed_noise():
    """Cov of G U Gᵀ is (1/3)(GGᵀ ⊗ GGᵀ) for U uniform in [−1, 1]; Φ Z Φᵀ's is (1/3)(ΦΦᵀ ⊗ ΦΦᵀ)."""
    for sigma in (2.0, 4.0, 6.0):
        g, phi = smoothing_matrix(28, sigma), smoothing_basis(28, sigma).astype(np.float64)
        assert phi.shape[1] < 28 if sigma >= 4 else phi.shape[1] <= 28
        full, low = np.kron(g @ g.T, g @ g.T), np.kron(phi @ phi.T, phi @ phi.T)
        assert np.linalg.norm(full - low) / np.linalg.norm(full) < 1e-3
    row = smoothing_matrix(28, 2.0)[14]
    assert row.sum() == pytest.approx(1, abs=1e-6)  # an interior row: the whole kernel (7σ wide)


def test_source_points_are_the_affine_map_plus_alpha_phi_z_phi_transposed():
    """One matrix product gives s(p) = c + A (p − c) − A t + α (Φ Z Φᵀ)ᵀ(p); here in float64 by hand."""
    rng = np.random.default_rng(0)
    phi = smoothing_basis(28, 4.0)
    r, n, alpha = phi.shape[1], 3, 34.0
    z = rng.uniform(-1, 1, (2, n, r, r)).astype(np.float32)
    a = inverse_affine(rng.uniform(-1, 1, n), rng.uniform(0.8, 1.2, n), rng.uniform(-0.3, 0.3, n))
    shift = rng.uniform(-3, 3, (n, 2))
    out = source_points(affine_coefficients(a, shift), z, phi, right_factor(phi, alpha, 28),
                        np.empty((2, n, 28, r + 2), np.float32), np.empty((2, n, 784), np.float32))
    y, x = np.mgrid[0:28, 0:28] - 13.5  # p − c: x the column, y the row
    for image in range(n):
        for axis in range(2):
            field = alpha * (phi.astype(np.float64) @ z[axis, image] @ phi.T.astype(np.float64)).T
            affine = 13.5 + a[image, axis, 0] * x + a[image, axis, 1] * y - (a[image] @ shift[image])[axis]
            np.testing.assert_allclose(out[axis, image].reshape(28, 28), affine + field,
                                       rtol=1e-5, atol=1e-4)
    no_field = source_points(affine_coefficients(a, shift), None, None, right_factor(None, 0, 28),
                             np.empty((2, n, 28, 2), np.float32), np.empty((2, n, 784), np.float32))
    first = 13.5 + a[0, 0, 0] * x + a[0, 0, 1] * y - (a[0] @ shift[0])[0]
    np.testing.assert_allclose(no_field[0, 0].reshape(28, 28), first, rtol=1e-5, atol=1e-4)


def test_elastic_distortion_alone_moves_pixels_by_about_the_expected_amount(digits):
    """Simard's α = 34, σ = 4: each displacement component has a standard deviation of
    α·sqrt(1/3)·Σg² ≈ 34·0.577·0.0705 ≈ 1.4 pixels in the image's interior."""
    g = smoothing_matrix(28, 4.0)
    std = 34 * math.sqrt(1 / 3) * float(np.sum(g[14] ** 2))
    assert 1.2 < std < 1.6
    out = augment(digits[:50], only(elastic_alpha=34), np.random.default_rng(0))
    assert not np.array_equal(out, to01(digits[:50]).reshape(out.shape))
    assert np.abs(out.sum(axis=(1, 2)) - to01(digits[:50]).sum(axis=1)).mean() < 0.2 * out.sum() / 50


def test_a_transform_is_applied_after_resampling(digits):
    plain = EpochAugmenter(digits, STRONG, seed=1, prefetch=False)(0)
    shifted = EpochAugmenter(digits, STRONG, seed=1, prefetch=False, transform=lambda b: b * 2 - 1)(0)
    np.testing.assert_allclose(shifted, plain * 2 - 1, atol=1e-6)


@pytest.mark.parametrize(
    ("strengths", "message"),
    [({"rotate": -1}, "rotate"), ({"scale": 1.0}, "scale"), ({"elastic_sigma": 0}, "sigma"),
     ({"shift": float("nan")}, "shift"), ({"shear": "a"}, "shear")],
)
def test_bad_strengths_are_refused_by_name(strengths, message):
    with pytest.raises(ValueError, match=message):
        Augmentation(**strengths)


def test_images_that_are_not_pixels_are_refused(digits):
    with pytest.raises(ValueError, match="standardise after"):
        augment(to01(digits) * 3 - 1, STRONG, np.random.default_rng(0))
    with pytest.raises(ValueError, match="square images"):
        augment(np.zeros((2, 783), np.float32), STRONG, np.random.default_rng(0))


def test_no_epoch_past_the_last_is_prefetched(digits):
    epochs = EpochAugmenter(digits, STRONG, seed=0, epochs=2, prefetch=True)
    epochs(0)
    assert epochs.pending is not None and epochs.pending[0] == 1
    epochs(1)
    assert epochs.pending is None


def test_the_figure_shows_originals_beside_their_variants(digits, tmp_path):
    from PIL import Image

    from barenet.experiment import plots

    rng = np.random.default_rng(0)
    variants = np.stack([augment(digits[:4], STRONG, rng) for _ in range(3)], axis=1)  # (4, 3, 28, 28)
    path = plots.augmented_digits(to01(digits[:4]), {"affine + elastic": variants}, tmp_path / "a.png")
    with Image.open(path) as image:
        rgb = np.asarray(image.convert("RGB"))
    assert rgb.shape[1] > rgb.shape[0]  # 4 rows of 1 + 3 digits
    dark = (rgb.max(axis=2) < 80).mean()
    assert 0.03 < dark < 0.4  # ink drawn dark on white
    with pytest.raises(ValueError, match="3 rows of variants for 4 originals"):
        plots.augmented_digits(to01(digits[:4]), {"x": variants[:3]}, tmp_path / "b.png")


def test_the_images_do_not_depend_on_how_many_threads_make_them(digits):
    many = np.concatenate([digits] * 4)  # 1,200 images: 3 chunks
    one = EpochAugmenter(many, STRONG, seed=4, prefetch=False, threads=1)(2)
    three = EpochAugmenter(many, STRONG, seed=4, prefetch=False, threads=3)(2)
    np.testing.assert_array_equal(one, three)


def test_blas_runs_one_thread_while_an_epoch_is_made_and_as_before_after(digits):
    from threadpoolctl import threadpool_info, threadpool_limits

    def blas_threads() -> list[int]:
        return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]

    seen: list[list[int]] = []

    def spy(block: np.ndarray) -> np.ndarray:
        seen.append(blas_threads())
        return block

    with threadpool_limits(limits=2, user_api="blas"):
        before = blas_threads()
        EpochAugmenter(digits, STRONG, seed=0, transform=spy, threads=2)(0)
        assert seen and all(threads == [1] * len(before) for threads in seen)
        assert blas_threads() == before
        seen.clear()  # in the background, beside a training thread, BLAS is left alone
        background = EpochAugmenter(digits, STRONG, seed=0, transform=spy, prefetch=True)
        background(0)
        background.wait()
        assert seen and all(threads == before for threads in seen[-2:])
        background.close()


def test_byte_pair_frames_and_float_frames_give_the_same_images(digits):
    """uint8 digits are framed as byte pairs (two gathers), the same pixels as float32 frames
    (four): one deformation, the same image to float32 rounding."""
    from barenet.data.augment import Renderer, padded

    renderer = Renderer(STRONG, 28)
    draws = renderer.draw(np.random.default_rng(2), 40)
    pairs, floats = padded(digits[:40].reshape(40, -1), 28), padded(to01(digits[:40]), 28)
    assert pairs.dtype == np.uint16 and floats.dtype == np.float32
    from_pairs, from_floats = (np.empty((40, 784), np.float32) for _ in range(2))
    renderer.render(pairs, draws, from_pairs)
    renderer.render(floats, draws, from_floats)
    np.testing.assert_allclose(from_pairs, from_floats, atol=2e-6)
    assert np.abs(from_pairs - to01(digits[:40])).max() > 0.5  # they were deformed


def test_the_workers_arrays_are_made_once_not_every_epoch(digits):
    """Each epoch starts new threads; their scratch arrays are the workers', kept between epochs."""
    many = np.concatenate([digits] * 2)  # 600 images: 4 full chunks and a last one of 88
    epochs = EpochAugmenter(many, STRONG, seed=0, threads=2)
    epochs(0)
    arrays = dict(epochs.renderer.work)
    for epoch in range(1, 4):
        epochs(epoch)
    assert epochs.renderer.work.keys() == arrays.keys() and len(arrays) == 3
    assert all(epochs.renderer.work[key] is arrays[key] for key in arrays)


def test_one_thread_per_core_when_asked_for_one_beside_training_when_prefetching(digits):
    import os

    assert EpochAugmenter(digits, STRONG, seed=0).renderer.threads == min(os.cpu_count() or 1, 8)
    assert EpochAugmenter(digits, STRONG, seed=0, prefetch=True).renderer.threads == 1
    assert EpochAugmenter(digits, STRONG, seed=0, prefetch=True, threads=3).renderer.threads == 3
