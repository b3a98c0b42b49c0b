"""Sequential: configuration round trip, seeding, summary, predict and predict_proba."""

from __future__ import annotations

import numpy as np
import pytest

from barenet.nn import Dense, Dropout, ReLU, Sequential, Sigmoid, Softmax, Tanh

CONFIG = {
    "layers": [
        {"type": "Dense", "n_in": 4, "n_out": 4, "weight_init": "he_normal", "bias_init": "zeros"},
        {"type": "ReLU"},
        {"type": "Dropout", "p": 0.25},
        {"type": "Dense", "n_in": 4, "n_out": 4, "weight_init": "xavier_uniform", "bias_init": "zeros"},
        {"type": "LeakyReLU", "alpha": 0.1},
        {"type": "Dense", "n_in": 4, "n_out": 3, "weight_init": "he_normal", "bias_init": "normal:0.1"},
    ],
    "output_activation": "softmax",
}


def test_config_round_trip():
    model = Sequential.from_config(CONFIG, rng=1)
    assert model.to_config() == CONFIG
    again = Sequential.from_config(model.to_config(), rng=1)
    assert again.to_config() == CONFIG
    for (name, p), (name2, q) in zip(model.named_parameters(), again.named_parameters(), strict=True):
        assert name == name2
        np.testing.assert_array_equal(p, q)
    assert [name for name, _ in model.named_parameters()] == ["0.W", "0.b", "3.W", "3.b", "5.W", "5.b"]
    assert model.layers[4].alpha == 0.1 and model.layers[2].p == 0.25


def test_from_config_dtype():
    model = Sequential.from_config(CONFIG, rng=0, dtype=np.float64)
    assert all(p.dtype == np.float64 for p, _ in model.parameters())
    assert Sequential.from_config(CONFIG, rng=0).dtype == np.float32


def test_from_config_same_shaped_layers_get_different_weights():
    # Regression: every Dense used to get its own default_rng(seed), so two layers of one shape
    # and initialiser started with identical weights.
    config = {"layers": [{"type": "Dense", "n_in": 4, "n_out": 4}, {"type": "Tanh"},
                         {"type": "Dense", "n_in": 4, "n_out": 4}]}
    model = Sequential.from_config(config, rng=0)
    assert not np.array_equal(model.layers[0].W, model.layers[2].W)


def test_from_config_seeds_dropout():
    # The same seed gives the same model, its dropout masks included (no fresh OS entropy).
    x = np.ones((5, 4), dtype=np.float32)
    a = Sequential.from_config(CONFIG, rng=7).forward(x.copy(), training=True)
    b = Sequential.from_config(CONFIG, rng=7).forward(x.copy(), training=True)
    np.testing.assert_array_equal(a, b)


def test_summary_lists_layers_sizes_and_counts():
    model = Sequential.from_config(CONFIG, rng=0)
    text = model.summary()
    lines = text.splitlines()
    assert lines[0].split() == ["#", "layer", "output", "parameters"]
    assert set(lines[1]) == {"-"}
    assert "Dense(4 → 4)" in text and "Dense(4 → 3)" in text
    assert "Dropout(p=0.25)" in text and "LeakyReLU(alpha=0.1)" in text
    assert "(softmax in predict_proba)" in text
    # 4·4+4 = 20, 20, 4·3+3 = 15: total 55
    assert [line.split()[-1] for line in lines if line.lstrip().startswith(("0 ", "3 ", "5 "))] == [
        "20", "20", "15"]
    assert lines[-1] == "total parameters: 55"
    assert model.parameter_count() == 55
    assert model.describe() == "4-4(relu)(dropout)-4(leakyrelu)-3"
    assert model.input_size() == 4 and model.output_size() == 3


def test_predict_proba_softmax_rows_sum_to_one():
    model = Sequential.from_config(CONFIG, rng=0)
    x = np.random.default_rng(0).standard_normal((10, 4))  # float64 in: cast to the model's dtype
    p = model.predict_proba(x, batch_size=3)  # 4 batches, the last one short
    assert p.shape == (10, 3) and p.dtype == np.float32
    np.testing.assert_allclose(p.sum(axis=1), 1, rtol=1e-6)
    assert (p >= 0).all()
    np.testing.assert_array_equal(model.predict(x), p.argmax(axis=1))
    # predict_proba is inference: dropout off, so the same input gives the same output
    np.testing.assert_array_equal(model.predict_proba(x), p)


def test_predict_proba_sigmoid_single_output():
    rng = np.random.default_rng(0)
    model = Sequential([Dense(3, 4, rng=rng), Tanh(), Dense(4, 1, rng=rng)], output_activation="sigmoid")
    x = rng.standard_normal((6, 3)).astype(np.float32)
    z = model.forward(x)
    p = model.predict_proba(x)
    np.testing.assert_allclose(p, 1 / (1 + np.exp(-z)), rtol=1e-6)
    np.testing.assert_array_equal(model.predict(x), (z[:, 0] > 0).astype(np.int64))


def test_predict_proba_without_output_activation_returns_outputs():
    rng = np.random.default_rng(0)
    model = Sequential([Dense(3, 2, rng=rng), Softmax()])
    x = rng.standard_normal((4, 3)).astype(np.float32)
    np.testing.assert_array_equal(model.predict_proba(x), model.forward(x))
    assert model.predict_proba(np.zeros((0, 3))).shape == (0, 2)


def test_predict_does_not_modify_input():
    # Activations after a Dense work in place on the Dense's fresh output, never on the caller's x.
    rng = np.random.default_rng(0)
    model = Sequential([ReLU(), Dense(3, 3, rng=rng), Sigmoid(), Dense(3, 2, rng=rng), Tanh()])
    x = rng.standard_normal((4, 3)).astype(np.float32)
    before = x.copy()
    model.predict(x)
    model.forward(x, training=True)
    np.testing.assert_array_equal(x, before)


def test_bad_output_activation_and_layer_type():
    with pytest.raises(ValueError, match="output_activation"):
        Sequential([Dense(2, 2)], output_activation="relu")
    with pytest.raises(ValueError, match="unknown layer type"):
        Sequential.from_config({"layers": [{"type": "Conv2D"}]})
    with pytest.raises(ValueError, match="dropout probability"):
        Dropout(1.0)


# --- building from given parameters (model files) ------------------------------------------------

def saved_parameters(seed=3):
    return {name: value.copy() for name, value in Sequential.from_config(CONFIG, rng=seed).named_parameters()}


def test_from_config_with_parameters_holds_exactly_those_values():
    params = saved_parameters()
    model = Sequential.from_config(CONFIG, params)
    loaded = dict(model.named_parameters())
    assert loaded.keys() == params.keys()
    for name, value in params.items():
        np.testing.assert_array_equal(loaded[name], value)
        assert loaded[name] is not value and not np.shares_memory(loaded[name], value)  # copies


def test_from_config_with_parameters_draws_nothing(monkeypatch):
    import barenet.nn.layers as layers

    def no_drawing(spec):
        raise AssertionError(f"initialiser {spec!r} called although the values were given")

    params = saved_parameters()
    monkeypatch.setattr(layers, "get_initializer", no_drawing)
    Sequential.from_config(CONFIG, params)
    with pytest.raises(AssertionError, match="initialiser"):  # the patch bites without parameters
        Sequential.from_config(CONFIG)


def test_from_config_refuses_parameters_that_do_not_fit():
    from barenet.errors import BarenetError, ShapeError

    params = saved_parameters()
    wrong_shape = {**params, "3.W": np.zeros((4, 5), dtype=np.float32)}
    with pytest.raises(ShapeError,
                       match=r"layer 3 \(Dense\): W has shape \(4, 5\), the layer needs \(4, 4\)"):
        Sequential.from_config(CONFIG, wrong_shape)
    wrong_dtype = {**params, "0.b": params["0.b"].astype(np.float64)}
    with pytest.raises(ShapeError, match=r"layer 0 \(Dense\): b is float64, the layer is built in float32"):
        Sequential.from_config(CONFIG, wrong_dtype)
    with pytest.raises(ValueError, match=r"parameter\(s\) 5.b of layer 5 \(Dense\) missing"):
        Sequential.from_config(CONFIG, {k: v for k, v in params.items() if k != "5.b"})
    with pytest.raises(ValueError, match=r"parameter\(s\) 1.W belong to no layer"):
        Sequential.from_config(CONFIG, {**params, "1.W": np.zeros((4, 4), dtype=np.float32)})
    assert issubclass(ShapeError, ValueError) and issubclass(ShapeError, BarenetError)


# --- input shapes, in barenet's words -------------------------------------------------------------

def image_model():
    return Sequential([Dense(784, 10, rng=0)], output_activation="softmax")


@pytest.mark.parametrize("method", ["predict", "predict_proba"])
def test_predict_says_flatten_the_images(method):
    from barenet.errors import ShapeError

    images = np.zeros((5, 28, 28), dtype=np.float32)
    with pytest.raises(ShapeError) as caught:
        getattr(image_model(), method)(images)
    assert str(caught.value) == ("flatten the images: x is (5, 28, 28), the first Dense layer takes "
                                 "(N, 784); pass x.reshape(len(x), -1)")
    assert getattr(image_model(), method)(images.reshape(5, -1)).shape[0] == 5


def test_predict_explains_one_sample_wrong_width_and_non_numbers():
    from barenet.errors import ShapeError

    model = image_model()
    with pytest.raises(ShapeError, match=r"x is one sample of shape \(784,\).*x.reshape\(1, -1\)"):
        model.predict(np.zeros(784, dtype=np.float32))
    with pytest.raises(ShapeError, match=r"x has 100 features per row \(x is \(3, 100\)\), but the first "
                                         r"Dense layer takes \(N, 784\)"):
        model.predict_proba(np.zeros((3, 100), dtype=np.float32))
    with pytest.raises(ShapeError, match="x holds <U1 values"):
        model.predict(np.array([["a"] * 784]))


def test_named_gradients_are_the_backward_pass_gradients_beside_their_parameters():
    model = Sequential.from_config(CONFIG, rng=2)
    x = np.random.default_rng(0).normal(size=(5, 4)).astype(np.float32)
    model.forward(x, training=False)
    model.backward(np.ones((5, 3), dtype=np.float32))
    names = [name for name, _ in model.named_gradients()]
    assert names == ["0.dW", "0.db", "3.dW", "3.db", "5.dW", "5.db"]
    for (name, grad), (pname, param) in zip(model.named_gradients(), model.named_parameters(), strict=True):
        layer, attribute = pname.split(".")
        assert name == f"{layer}.d{attribute}" and grad.shape == param.shape
        assert grad is getattr(model.layers[int(layer)], "d" + attribute)
    # the last layer's db is Σ_batch δ, here 5 ones per output
    np.testing.assert_allclose(dict(model.named_gradients())["5.db"], np.full(3, 5.0))
