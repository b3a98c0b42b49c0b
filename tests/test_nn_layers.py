"""Dense, Identity and Dropout worked by hand, and the layer protocol."""

from __future__ import annotations

import numpy as np
import pytest

from barenet.nn import Dense, Dropout, Identity


def dense_with(W, b):
    layer = Dense(len(W), len(W[0]), dtype=np.float64)
    layer.W[...] = W
    layer.b[...] = b
    return layer


def test_dense_forward_backward_by_hand():
    # x (2×3), W (3×2), b (2,):
    #   x = [[1, 0,  2],     W = [[1, −1],     b = [0.5, −0.5]
    #        [0, 1, −1]]          [2,  0],
    #                             [0,  3]]
    # z = x W + b:
    #   row 1: [1·1 + 0·2 + 2·0,  1·(−1) + 0·0 + 2·3] + b = [1, 5] + b  = [1.5,  4.5]
    #   row 2: [0·1 + 1·2 − 1·0,  0·(−1) + 1·0 − 1·3] + b = [2, −3] + b = [2.5, −3.5]
    layer = dense_with([[1, -1], [2, 0], [0, 3]], [0.5, -0.5])
    x = np.array([[1.0, 0, 2], [0, 1, -1]])
    np.testing.assert_array_equal(layer.forward(x), [[1.5, 4.5], [2.5, -3.5]])
    # δ = ∂L/∂z = [[1, 0], [0, 2]]
    # dW = xᵀ δ:  xᵀ = [[1, 0], [0, 1], [2, −1]]
    #     -> rows [1·1 + 0·0, 1·0 + 0·2], [0, 1·2], [2·1 − 1·0, 2·0 − 1·2] = [[1, 0], [0, 2], [2, −2]]
    # db = Σ_rows δ = [1, 2]
    # dx = δ Wᵀ:  Wᵀ = [[1, 2, 0], [−1, 0, 3]]  ->  [1·[1, 2, 0],  2·[−1, 0, 3]] = [[1, 2, 0], [−2, 0, 6]]
    delta = np.array([[1.0, 0], [0, 2]])
    dx = layer.backward(delta)
    np.testing.assert_array_equal(layer.dW, [[1, 0], [0, 2], [2, -2]])
    np.testing.assert_array_equal(layer.db, [1, 2])
    np.testing.assert_array_equal(dx, [[1, 2, 0], [-2, 0, 6]])
    assert layer.parameters()[0][0] is layer.W and layer.parameters()[0][1] is layer.dW


def test_dense_shapes_dtype_and_config():
    layer = Dense(5, 3, weight_init="xavier_uniform", bias_init="normal:0.1", rng=0)
    assert layer.W.shape == (5, 3) and layer.b.shape == (3,)
    assert layer.W.dtype == layer.b.dtype == np.float32
    assert layer.config() == {"n_in": 5, "n_out": 3, "weight_init": "xavier_uniform",
                              "bias_init": "normal:0.1"}
    assert layer.output_size(5) == 3
    assert repr(layer).startswith("Dense(n_in=5, n_out=3")
    z = layer.forward(np.ones((4, 5), dtype=np.float32))
    assert z.shape == (4, 3) and z.dtype == np.float32


def test_dense_gradients_follow_a_replaced_weight():
    layer = Dense(2, 2, rng=0, dtype=np.float64)
    layer.W = np.eye(2, dtype=np.float32)  # a user loads float32 values into a float64 layer
    layer.forward(np.ones((1, 2), dtype=np.float32))
    layer.backward(np.ones((1, 2), dtype=np.float32))
    assert layer.dW.dtype == np.float32 and layer.dW.shape == (2, 2)


def test_dense_rejects_bad_sizes():
    with pytest.raises(ValueError, match="positive sizes"):
        Dense(0, 3)


def test_identity():
    x = np.array([[1.0, -2.0]])
    layer = Identity()
    assert layer.forward(x) is x
    assert layer.backward(x) is x
    assert layer.parameters() == [] and layer.config() == {}


def test_dropout_statistics_and_scaling():
    # Inverted dropout: each unit is kept with probability 1 − p and scaled by 1 / (1 − p),
    # so E[a] = x. With p = 0.3 on 100 000 ones: ~30 % zeros, the rest 1 / 0.7, mean ≈ 1.
    layer = Dropout(0.3, rng=0)
    x = np.ones((1000, 100), dtype=np.float32)
    a = layer.forward(x, training=True)
    assert a.dtype == np.float32
    assert set(np.unique(a).tolist()) == {0.0, np.float32(1 / 0.7)}
    assert abs((a == 0).mean() - 0.3) < 0.01  # sampling sd ≈ 0.0015
    assert abs(a.mean() - 1.0) < 0.01
    # backward multiplies by the same scaled mask
    g = np.full_like(x, 2.0)
    np.testing.assert_array_equal(layer.backward(g), 2 * a)


def test_dropout_is_the_identity_at_inference_and_for_p_zero():
    x = np.arange(6.0).reshape(2, 3)
    layer = Dropout(0.5, rng=0)
    assert layer.forward(x, training=False) is x
    assert layer.backward(x) is x
    assert Dropout(0.0, rng=0).forward(x, training=True) is x


def test_dropout_frozen_reuses_the_mask_and_seed_reproduces_it():
    x = np.ones((4, 8))
    layer = Dropout(0.5, rng=3)
    first = layer.forward(x, training=True)
    layer.frozen = True
    np.testing.assert_array_equal(layer.forward(x, training=True), first)
    unfrozen = Dropout(0.5, rng=3)
    np.testing.assert_array_equal(unfrozen.forward(x, training=True), first)  # same seed, same mask
    assert not np.array_equal(unfrozen.forward(x, training=True), first)  # a new mask each time
    assert layer.config() == {"p": 0.5}
