"""`barenet export --onnx`: the graph onnxruntime runs gives barenet's own probabilities."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import numpy as np
import pytest

from barenet.cli import main
from barenet.data.prepare import to_float01
from barenet.saving.modelfile import load

pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")


def train(tmp_path: Path, data_dir: Path, name: str, *flags: str) -> Path:
    out = tmp_path / f"{name}.safetensors"
    status = main(["train", "--data-dir", str(data_dir), "--epochs", "1", "--val-size", "500",
                   "--out", str(out), "--no-plot", "--quiet", *flags])
    assert status == 0
    return out


def onnx_probabilities(path: Path, pixels: np.ndarray) -> np.ndarray:
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (name,) = [i.name for i in session.get_inputs()]
    return session.run(["probabilities"], {name: pixels})[0]


@pytest.mark.slow
@pytest.mark.parametrize("flags", [(), ("--normalization", "standardize", "--activation", "tanh")],
                         ids=["default", "standardized-tanh"])
def test_onnxruntime_agrees_on_all_10000_test_images(tmp_path, mnist_slice_dir, mnist, flags, capsys):
    model = train(tmp_path, mnist_slice_dir, "model", *flags)
    onnx_path = tmp_path / "model.onnx"
    assert main(["export", str(model), "--onnx", str(onnx_path)]) == 0
    assert "wrote" in capsys.readouterr().out
    import onnx

    onnx.checker.check_model(onnx.load(str(onnx_path)), full_check=True)
    pixels = to_float01(mnist.test_images).reshape(len(mnist.test_images), -1)  # (10000, 784) in [0, 1]
    trained = load(model)
    expected = trained.predict_proba(pixels)
    got = onnx_probabilities(onnx_path, pixels)
    assert got.shape == expected.shape == (10_000, 10)
    np.testing.assert_array_equal(got.argmax(axis=1), expected.argmax(axis=1))
    np.testing.assert_allclose(got, expected, atol=1e-5, rtol=0)


def test_bad_inputs_are_one_line_and_leave_files_alone(tmp_path, capsys):
    existing = tmp_path / "keep.onnx"
    existing.write_bytes(b"mine")
    broken = tmp_path / "broken.safetensors"
    broken.write_bytes(b"\x00" * 100)
    fifo = tmp_path / "pipe.onnx"
    os.mkfifo(fifo)
    cases = [
        (["export", str(tmp_path / "missing.safetensors"), "--onnx", str(tmp_path / "a.onnx")], "missing"),
        (["export", str(broken), "--onnx", str(tmp_path / "b.onnx")], "broken"),
        (["export", str(broken), "--onnx", str(existing)], "already exists"),
        (["export", str(broken), "--onnx", str(fifo)], "not a regular file"),
        (["export", str(broken), "--onnx", str(tmp_path)], "is a directory"),
    ]
    for argv, what in cases:
        assert main(argv) == 1, what
        err = capsys.readouterr().err
        assert err.startswith("barenet: error: ") and err.count("\n") == 1, (what, err)
        assert "Traceback" not in err
    assert existing.read_bytes() == b"mine"
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert not (tmp_path / "a.onnx").exists() and not (tmp_path / "b.onnx").exists()


@pytest.mark.slow
def test_batchnorm_model_exports_with_its_running_statistics(tmp_path, mnist):
    from barenet.nn import Adam, BatchNorm, Dense, Dropout, ReLU, Sequential, SoftmaxCrossEntropy, fit
    from barenet.saving.modelfile import TrainedModel, save

    rng = np.random.default_rng(0)
    model = Sequential([Dense(784, 64, rng=rng), BatchNorm(64), ReLU(), Dropout(0.1, rng=rng),
                        Dense(64, 10, rng=rng)], output_activation="softmax")
    pixels = to_float01(mnist.train_images[:3000]).reshape(3000, -1)
    fit(model, SoftmaxCrossEntropy(), Adam(1e-3), pixels, mnist.train_labels[:3000], epochs=2)
    batchnorm = model.layers[1]
    assert not np.allclose(batchnorm.running_mean, 0)  # statistics were learned, so they matter
    path = save(tmp_path / "bn.safetensors", TrainedModel(model, class_names=[str(k) for k in range(10)]))
    assert main(["export", str(path), "--onnx", str(tmp_path / "bn.onnx")]) == 0
    test = to_float01(mnist.test_images).reshape(10_000, -1)
    expected = load(path).predict_proba(test)
    got = onnx_probabilities(tmp_path / "bn.onnx", test)
    np.testing.assert_array_equal(got.argmax(axis=1), expected.argmax(axis=1))
    np.testing.assert_allclose(got, expected, atol=1e-5, rtol=0)
