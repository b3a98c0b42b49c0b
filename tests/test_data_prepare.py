"""Preparation: [0, 1] floats, standardisation, class subsets, the stratified split."""

from __future__ import annotations

import json

import numpy as np
import pytest

from barenet.data.prepare import (
    Standardizer,
    select_classes,
    stratified_split,
    to_float01,
    to_int_labels,
)
from barenet.errors import DataError


def test_to_float01_by_hand():
    images = np.array([[[0, 255], [51, 102]]], dtype=np.uint8)  # (1, 2, 2)
    x = to_float01(images)
    assert x.dtype == np.float32 and x.shape == (1, 4)
    np.testing.assert_array_equal(x, np.array([[0.0, 1.0, 0.2, 0.4]], dtype=np.float32))


def test_to_float01_accepts_flat_rows_and_is_exact():
    images = np.arange(256, dtype=np.uint8).reshape(1, 256)
    x = to_float01(images)
    assert x.shape == (1, 256)
    np.testing.assert_array_equal(x * np.float32(255), np.arange(256, dtype=np.float32)[None])
    assert not np.shares_memory(x, images)


def test_to_float01_refuses_floats_and_vectors():
    with pytest.raises(DataError, match="expects uint8 pixels"):
        to_float01(np.zeros((2, 784), np.float32))
    with pytest.raises(DataError, match=r"expects \(N, H, W\)"):
        to_float01(np.zeros(784, np.uint8))


def test_to_int_labels():
    assert to_int_labels(np.array([1, 2], np.uint8)).dtype == np.int64
    with pytest.raises(DataError):
        to_int_labels(np.array([0.5]))


def test_global_standardizer_matches_float64_reference():
    rng = np.random.default_rng(0)
    x = rng.random((10_000, 20), dtype=np.float32)  # more rows than one chunk
    st = Standardizer.fit(x)
    ref = x.astype(np.float64)
    assert st.mean == pytest.approx(ref.mean(), rel=1e-12)
    assert st.std == pytest.approx(ref.std(), rel=1e-12)
    z = st.transform(x)
    assert z.dtype == np.float32
    assert z.astype(np.float64).mean() == pytest.approx(0, abs=1e-5)
    assert z.astype(np.float64).std() == pytest.approx(1, abs=1e-5)


def test_standardizer_by_hand():
    # pixels 0, 0, 1, 1: mean 0.5, std 0.5 -> (x - 0.5) / 0.5 = -1, -1, 1, 1
    st = Standardizer.fit(np.array([[0, 0], [1, 1]], dtype=np.float32))
    assert (st.mean, st.std) == (0.5, 0.5)
    np.testing.assert_array_equal(st.transform(np.array([[0, 1]], np.float32)), [[-1, 1]])


def test_per_pixel_standardizer_clamps_constant_pixels():
    x = np.array([[0.0, 0.2], [0.0, 0.6]], dtype=np.float32)  # pixel 0 always 0
    st = Standardizer.fit(x, per_pixel=True, min_std=0.01)
    np.testing.assert_allclose(st.mean, [0.0, 0.4], rtol=1e-6)
    np.testing.assert_allclose(st.std, [0.01, 0.2], rtol=1e-6)
    with pytest.raises(DataError, match="fitted on 2 features"):
        st.transform(np.zeros((1, 3), np.float32))


@pytest.mark.parametrize("per_pixel", [False, True])
def test_standardizer_round_trips_through_json(per_pixel):
    x = np.random.default_rng(1).random((50, 6), dtype=np.float32)
    st = Standardizer.fit(x, per_pixel=per_pixel)
    back = Standardizer.from_dict(json.loads(json.dumps(st.to_dict())))
    np.testing.assert_array_equal(back.transform(x), st.transform(x))


@pytest.mark.parametrize(
    "record",
    [{}, {"kind": "global", "mean": 0.1}, {"kind": "global", "mean": 0.1, "std": 0},
     {"kind": "global", "mean": "nan", "std": 1}, {"kind": "other", "mean": 0, "std": 1},
     {"kind": "per-pixel", "mean": [0, 1], "std": [1]}],
)
def test_standardizer_from_bad_dict(record):
    with pytest.raises(DataError, match="invalid standardisation record"):
        Standardizer.from_dict(record)


def test_standardizer_refuses_uint8_and_constant_data():
    with pytest.raises(DataError, match="apply to_float01 first"):
        Standardizer.fit(np.zeros((2, 2), np.uint8))
    with pytest.raises(DataError, match="std 0"):
        Standardizer.fit(np.zeros((2, 2), np.float32))


# --- class subsets ---------------------------------------------------------------------------


def test_select_classes_keeps_and_remaps_in_the_given_order():
    y = np.array([0, 1, 2, 3, 8, 3, 8, 1])
    x = np.arange(8)[:, None] * np.ones((1, 2))
    x2, y2 = select_classes(x, y, classes=[3, 8])
    np.testing.assert_array_equal(y2, [0, 1, 0, 1])  # 3 -> 0, 8 -> 1
    np.testing.assert_array_equal(x2[:, 0], [3, 4, 5, 6])
    _, y3 = select_classes(x, y, classes=[8, 3])
    np.testing.assert_array_equal(y3, [1, 0, 1, 0])  # 8 -> 0, 3 -> 1
    assert y2.dtype == np.int64


def test_select_classes_binary_digits_on_real_shapes():
    y = np.tile(np.arange(10), 5)
    x = np.zeros((50, 784), np.float32)
    x2, y2 = select_classes(x, y, [0, 1])
    assert x2.shape == (10, 784) and sorted(set(y2.tolist())) == [0, 1]


@pytest.mark.parametrize(
    ("classes", "message"),
    [([], "no class given"), ([1, 1], "repeat a class"), ([4, 12], r"class\(es\) \[12\]")],
)
def test_select_classes_errors(classes, message):
    with pytest.raises(DataError, match=message):
        select_classes(np.zeros((10, 2)), np.arange(10) % 5, classes)


# --- the stratified validation split ---------------------------------------------------------


def labels_like_mnist():
    counts = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    y = np.repeat(np.arange(10), counts)
    return np.random.default_rng(123).permutation(y)


def test_split_disjoint_complete_and_stratified():
    y = labels_like_mnist()
    train_idx, val_idx = stratified_split(y, 5000, np.random.default_rng(0))
    assert len(val_idx) == 5000 and len(train_idx) == 55000
    assert np.intersect1d(train_idx, val_idx).size == 0
    np.testing.assert_array_equal(np.sort(np.concatenate([train_idx, val_idx])), np.arange(60000))
    expected = np.bincount(y) * 5000 / 60000
    assert np.all(np.abs(np.bincount(y[val_idx]) - expected) < 1)  # largest-remainder rounding
    assert train_idx.dtype == np.int64 and val_idx.dtype == np.int64


def test_split_same_seed_same_split_other_seed_other_split():
    y = labels_like_mnist()
    a = stratified_split(y, 0.1, np.random.default_rng(7))
    b = stratified_split(y, 0.1, np.random.default_rng(7))
    c = stratified_split(y, 0.1, np.random.default_rng(8))
    np.testing.assert_array_equal(a[1], b[1])
    assert len(a[1]) == 6000 and not np.array_equal(a[1], c[1])


def test_split_by_hand_largest_remainder():
    # 3 samples of class 0, 1 of class 1, val 2 of 4: shares 1.5 and 0.5 -> floors 1, 0; the
    # one left goes to the larger remainder, a tie broken by class order: class 0 -> 2, 1 -> 0
    y = np.array([0, 0, 1, 0])
    train_idx, val_idx = stratified_split(y, 2, np.random.default_rng(0))
    assert sorted(y[val_idx].tolist()) == [0, 0]
    assert 2 in train_idx


def test_split_zero_validation():
    train_idx, val_idx = stratified_split(np.arange(10) % 2, 0, np.random.default_rng(0))
    assert len(val_idx) == 0 and len(train_idx) == 10


@pytest.mark.parametrize("size", [10, 11, -1, 1.0, 1.5, -0.1, "5", True])
def test_split_invalid_sizes(size):
    with pytest.raises(DataError):
        stratified_split(np.arange(10) % 2, size, np.random.default_rng(0))
