"""A network with BatchNorm through a model file: running statistics saved, checked and loaded."""

from __future__ import annotations

import numpy as np
import pytest
from safetensors.numpy import load_file, save_file

from barenet.errors import ModelFileError
from barenet.nn import Adam, BatchNorm, Dense, ReLU, Sequential, SoftmaxCrossEntropy, fit
from barenet.saving import modelfile


def trained_bn_model():
    rng = np.random.default_rng(0)
    model = Sequential([Dense(6, 8, rng=rng), BatchNorm(8), ReLU(), Dense(8, 3, rng=rng)],
                       output_activation="softmax")
    x = rng.standard_normal((40, 6)).astype(np.float32)
    y = rng.integers(0, 3, 40)
    optimizer = Adam(0.01)
    fit(model, SoftmaxCrossEntropy(), optimizer, x, y, epochs=2, batch_size=8)
    return model, optimizer, x


def test_running_statistics_are_saved_and_loaded(tmp_path):
    model, optimizer, x = trained_bn_model()
    assert not np.allclose(model.layers[1].running_var, 1.0)  # training moved them
    path = modelfile.save(tmp_path / "bn.safetensors", modelfile.TrainedModel(model=model),
                          optimizer=optimizer)
    stored = load_file(str(path))
    np.testing.assert_array_equal(stored["1.running_mean"], model.layers[1].running_mean)
    loaded = modelfile.load(path)
    for (name, a), (_, b) in zip(loaded.model.named_buffers(), model.named_buffers(), strict=True):
        np.testing.assert_array_equal(a, b, err_msg=name)
    np.testing.assert_array_equal(loaded.model.predict_proba(x), model.predict_proba(x))
    assert len(loaded.optimizer["buffers"]) == 6  # one per parameter: 0.W, 0.b, 1.gamma, 1.beta, 3.W, 3.b


def test_a_file_whose_running_statistics_are_missing_or_wrong_is_refused(tmp_path):
    model, _, _ = trained_bn_model()
    path = modelfile.save(tmp_path / "bn.safetensors", modelfile.TrainedModel(model=model))
    tensors = load_file(str(path))
    from safetensors import safe_open

    with safe_open(str(path), "np") as handle:
        metadata = handle.metadata()
    cases = [("1.running_var", None, "1.running_var is missing"),
             ("1.running_mean", np.zeros(7, np.float32), r"1.running_mean has shape \(7,\)")]
    for name, change, message in cases:
        broken = dict(tensors)
        if change is None:
            del broken[name]
        else:
            broken[name] = change
        bad = tmp_path / f"bad-{name}.safetensors"
        save_file(broken, str(bad), metadata=metadata)
        with pytest.raises(ModelFileError, match=message):
            modelfile.load(bad)
