"""examples/*.toml: each parses into a valid TrainingConfig, builds the network its tutorial
describes, and trains through `barenet train --config`."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from barenet import nn
from barenet.cli import main
from barenet.experiment.config import TrainingConfig, build, load_toml
from barenet.saving import modelfile

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "tutorials.py"

# What each tutorial describes. init: the weight initialiser of every Dense layer, in order.
EXPECTED = {
    "t1-relu-sgd.toml": dict(
        sizes=[784, 100, 10], activations=["relu"], loss=nn.SoftmaxCrossEntropy,
        init=["lecun_normal"] * 2, bias_init="normal:1", dropout=0.0, optimizer=nn.SGD, lr=0.01,
        batch_size=100, epochs=10, steps=None, sampling="shuffle", val_size=0, classes=None,
        weight_decay=0.0),
    "t2-binary-tanh.toml": dict(
        sizes=[784, 10, 2], activations=["tanh"], loss=nn.BinaryCrossEntropy,
        init=["xavier_uniform"] * 2, bias_init="zeros", dropout=0.0, optimizer=nn.SGD, lr=0.001,
        batch_size=1, epochs=1, steps=None, sampling="shuffle", val_size=0, classes=[0, 1],
        weight_decay=0.0),
    "t3-two-layer-net.toml": dict(
        sizes=[784, 50, 10], activations=["sigmoid"], loss=nn.SoftmaxCrossEntropy,
        init=["normal:0.01"] * 2, bias_init="zeros", dropout=0.0, optimizer=nn.SGD, lr=0.1,
        batch_size=100, epochs=None, steps=10_000, sampling="replacement", val_size=0,
        classes=None, weight_decay=0.0),
    "t4-two-sigmoid-layers.toml": dict(
        sizes=[784, 100, 50, 10], activations=["sigmoid", "sigmoid"], loss=nn.SoftmaxCrossEntropy,
        init=["normal:1"] * 3, bias_init="normal:1", dropout=0.0, optimizer=nn.SGD, lr=0.1,
        batch_size=100, epochs=5, steps=None, sampling="sequential", val_size=0, classes=None,
        weight_decay=0.0),
    "t5-nielsen-network.toml": dict(
        sizes=[784, 30, 10], activations=["sigmoid"], loss=nn.MSE, output_layer=nn.Sigmoid,
        init=["normal:1"] * 2, bias_init="normal:1", dropout=0.0, optimizer=nn.SGD, lr=3.0,
        batch_size=10, epochs=30, steps=None, sampling="shuffle", val_size=10_000, classes=None,
        weight_decay=0.0),
    "t6-nielsen-network2.toml": dict(
        sizes=[784, 100, 10], activations=["sigmoid"], loss=nn.BinaryCrossEntropy,
        init=["lecun_normal"] * 2, bias_init="normal:1", dropout=0.0, optimizer=nn.SGD, lr=0.1,
        batch_size=10, epochs=60, steps=None, sampling="shuffle", val_size=10_000, classes=None,
        weight_decay=5.0 / 50_000),
    "k-keras-mnist-mlp.toml": dict(
        sizes=[784, 512, 512, 10], activations=["relu", "relu"], loss=nn.SoftmaxCrossEntropy,
        init=["xavier_uniform"] * 3, bias_init="zeros", dropout=0.2, optimizer=nn.RMSprop,
        lr=0.001, batch_size=128, epochs=20, steps=None, sampling="shuffle", val_size=0,
        classes=None, weight_decay=0.0),
}
ACTIVATION_LAYERS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}


def example(name: str) -> TrainingConfig:
    return TrainingConfig.from_dict(load_toml(EXAMPLES / name), name)


RECIPES = {"best-mlp.toml"}  # barenet's own recipes, not tutorials: tests/test_cli_augment.py


def test_every_example_is_checked_here():
    tutorials = [p.name for p in EXAMPLES.glob("*.toml") if p.name not in RECIPES]
    assert sorted(tutorials) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_opens_with_a_comment_citing_its_tutorial(name):
    header = (EXAMPLES / name).read_text(encoding="utf-8").splitlines()
    assert header[0].startswith("# ") and "reported" in "\n".join(header[:12]).lower()
    assert f"barenet train --config examples/{name}" in "\n".join(header[:15])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_settings(name):
    want, config = EXPECTED[name], example(name)
    assert config.hidden == want["sizes"][1:-1]
    assert config.layer_activations() == want["activations"]
    assert config.layer_inits() == want["init"]
    for key in ("bias_init", "dropout", "lr", "batch_size", "steps", "sampling", "val_size",
                "classes", "weight_decay"):
        assert getattr(config, key) == want[key], key
    if want["epochs"] is not None:
        assert config.epochs == want["epochs"]
    assert config.schedule == "constant"  # none of the tutorials decays its learning rate
    assert config.normalization == "none"  # pixels in [0, 1], as they all do
    # none augments its data, normalises its batches or smooths its labels, whatever the defaults
    assert config.augment == [] and config.batchnorm is False and config.label_smoothing == 0


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_builds_the_network_described(name):
    want, config = EXPECTED[name], example(name)
    n_classes = want["sizes"][-1]
    model, loss, optimizer, _ = build(config, 784, n_classes)
    dense = [layer for layer in model.layers if isinstance(layer, nn.Dense)]
    assert [(d.n_in, d.n_out) for d in dense] == list(zip(want["sizes"][:-1], want["sizes"][1:],
                                                                 strict=True))
    assert [d.weight_init for d in dense] == want["init"]
    assert {d.bias_init for d in dense} == {want["bias_init"]}
    # Between the Dense layers: the hidden activation, then dropout if any.
    for i, activation in enumerate(want["activations"]):
        after = model.layers[model.layers.index(dense[i]) + 1 : model.layers.index(dense[i + 1])]
        assert isinstance(after[0], ACTIVATION_LAYERS[activation])
        assert [type(a) for a in after[1:]] == ([nn.Dropout] if want["dropout"] else [])
    assert isinstance(loss, want["loss"])
    tail = model.layers[model.layers.index(dense[-1]) + 1 :]
    assert [type(layer) for layer in tail] == ([want["output_layer"]] if "output_layer" in want else [])
    assert isinstance(optimizer, want["optimizer"])
    assert optimizer.lr == pytest.approx(want["lr"])
    assert optimizer.weight_decay == pytest.approx(want["weight_decay"])


def test_initial_weights_have_the_published_scales():
    # T4's N(0, 1) and T1's N(0, 1)/√784 first layers, T3's 0.01·N(0, 1): measured std within 3 %.
    for name, std in [("t4-two-sigmoid-layers.toml", 1.0), ("t1-relu-sgd.toml", 784 ** -0.5),
                      ("t3-two-layer-net.toml", 0.01)]:
        model = build(example(name), 784, 10)[0]
        assert np.std(model.layers[0].W) == pytest.approx(std, rel=0.03), name
    t1 = build(example("t1-relu-sgd.toml"), 784, 10)[0]
    assert np.std(t1.layers[0].b) == pytest.approx(1.0, rel=0.3)  # 100 biases from N(0, 1)


def load_benchmark():
    spec = importlib.util.spec_from_file_location("tutorials_benchmark", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # for its dataclass
    spec.loader.exec_module(module)
    return module


def test_benchmark_lists_every_example_and_its_quick_flags():
    bench = load_benchmark()
    assert sorted(t.file for t in bench.TUTORIALS) == sorted(EXPECTED)
    assert bench.quick_flags(EXAMPLES / "t3-two-layer-net.toml") == ["--steps", "2000"]
    assert bench.quick_flags(EXAMPLES / "t6-nielsen-network2.toml") == ["--epochs", "12"]
    assert bench.quick_flags(EXAMPLES / "t2-binary-tanh.toml") == ["--epochs", "1"]


@pytest.mark.parametrize("name, flags, steps, accuracy", [
    ("t2-binary-tanh.toml", [], 624, 0.95),  # the slice's 624 zeros and ones, one at a time
    # 25 draws per epoch from 2,500: 2 epochs, the second cut to 15; 0.01·N(0, 1) starts slowly
    ("t3-two-layer-net.toml", ["--steps", "40", "--val-size", "500"], 40, 0.0),
    ("t6-nielsen-network2.toml", ["--epochs", "1", "--val-size", "500"], 250, 0.5),
])
def test_example_trains_through_barenet_train(tmp_path, mnist_slice_dir, name, flags, steps, accuracy):
    out = tmp_path / "model.safetensors"
    status = main(["train", "--config", str(EXAMPLES / name), "--data-dir", str(mnist_slice_dir),
                   *flags, "--out", str(out), "--quiet", "--no-plot"])
    assert status == 0
    trained = modelfile.load(out)
    assert trained.metrics["test_accuracy"] >= accuracy
    assert len(trained.history.records) == (2 if "--steps" in flags else 1)
    assert modelfile.load(out.with_name("model.checkpoint.safetensors")).optimizer["t"] == steps
