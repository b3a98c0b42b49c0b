"""The `steps` option: a run of exactly N batches (a tutorial's "iterations") in fit, config and CLI."""

from __future__ import annotations

import numpy as np
import pytest

from barenet.cli import main
from barenet.errors import ConfigError
from barenet.experiment.config import TrainingConfig
from barenet.nn import SGD, Callback, Dense, Sequential, SoftmaxCrossEntropy, fit
from barenet.nn.training import epochs_for_steps
from barenet.saving import modelfile


class BatchCounter(Callback):
    """Counts the batches of every epoch."""

    def __init__(self):
        self.per_epoch = []

    def on_epoch_begin(self, epoch):
        self.per_epoch.append(0)

    def on_batch_end(self, batch, loss):
        self.per_epoch[-1] += 1


def toy(n=10):
    x = np.arange(n * 2, dtype=np.float32).reshape(n, 2) / (2 * n)
    return x, np.arange(n) % 2


def test_epochs_for_steps():
    # 10 samples in batches of 4: 3 batches per epoch; 7 steps start 3 epochs, 6 steps fill 2.
    assert epochs_for_steps(7, 10, 4) == 3
    assert epochs_for_steps(6, 10, 4) == 2
    assert epochs_for_steps(1, 10, 4) == 1
    assert epochs_for_steps(10_000, 60_000, 100) == 17  # T3: 16 whole epochs and 400 steps


@pytest.mark.parametrize("sampling", ["shuffle", "sequential", "replacement"])
def test_fit_with_steps_takes_exactly_that_many_batches(sampling):
    x, y = toy()
    counter = BatchCounter()
    optimizer = SGD(0.1)
    history = fit(Sequential([Dense(2, 2, rng=0)]), SoftmaxCrossEntropy(), optimizer, x, y,
                  epochs=99, batch_size=4, steps=7, sampling=sampling, callbacks=[counter])
    assert counter.per_epoch == [3, 3, 1]  # `steps` replaces `epochs`
    assert optimizer.t == 7
    assert [r["epoch"] for r in history.records] == [1, 2, 3]
    assert all(0 <= r["train_accuracy"] <= 1 for r in history.records)


def test_partial_epoch_averages_over_the_samples_it_saw():
    # One sequential step of 4 samples: the record is that batch's loss, not a share of all 10.
    x, y = toy()
    model = Sequential([Dense(2, 2, rng=0)])
    loss = SoftmaxCrossEntropy()
    first_batch_loss = loss.forward(model.forward(x[:4]), y[:4])
    history = fit(model, loss, SGD(0.1), x, y, batch_size=4, steps=1, sampling="sequential")
    assert history.records[0]["train_loss"] == pytest.approx(first_batch_loss, rel=1e-6)


def test_resumed_steps_run_ends_like_the_uninterrupted_one():
    x, y = toy()
    whole = Sequential([Dense(2, 2, rng=0)])
    fit(whole, SoftmaxCrossEntropy(), SGD(0.1), x, y, batch_size=4, steps=7)
    part = Sequential([Dense(2, 2, rng=0)])
    optimizer = SGD(0.1)
    history = fit(part, SoftmaxCrossEntropy(), optimizer, x, y, epochs=2, batch_size=4)
    fit(part, SoftmaxCrossEntropy(), optimizer, x, y, batch_size=4, steps=7, history=history)
    assert optimizer.t == 7
    for (p, _), (q, _) in zip(whole.parameters(), part.parameters(), strict=True):
        np.testing.assert_array_equal(p, q)


def test_fit_refuses_zero_steps():
    x, y = toy()
    with pytest.raises(ValueError, match="steps"):
        fit(Sequential([Dense(2, 2, rng=0)]), SoftmaxCrossEntropy(), SGD(0.1), x, y, steps=0)


@pytest.mark.parametrize("value", [0, -5, 2.5, True, "100"])
def test_config_refuses_a_bad_steps(value):
    with pytest.raises(ConfigError, match="steps"):
        TrainingConfig(steps=value).validate()


def test_config_steps_defaults_to_none_and_accepts_a_count():
    assert TrainingConfig().steps is None
    TrainingConfig(steps=10_000).validate()
    assert TrainingConfig.from_dict({"steps": 5}).steps == 5


def test_train_with_steps_sets_the_epochs_and_counts_the_steps(tmp_path, mnist_slice_dir, capsys):
    # 3,000 images − 500 held out = 2,500 in batches of 100: 25 per epoch; 60 steps → 3 epochs.
    out = tmp_path / "model.safetensors"
    status = main(["train", "--data-dir", str(mnist_slice_dir), "--hidden", "16", "--val-size", "500",
                   "--batch-size", "100", "--steps", "60", "--optimizer", "sgd", "--lr", "0.1",
                   "--out", str(out), "--quiet", "--no-plot"])
    assert status == 0
    assert "3 epochs (60 steps)" in capsys.readouterr().out
    trained = modelfile.load(out)
    assert trained.config["steps"] == 60 and trained.config["epochs"] == 3
    assert len(trained.history.records) == 3
    checkpoint = modelfile.load(out.with_name("model.checkpoint.safetensors"))
    assert checkpoint.optimizer["t"] == 60


def test_train_refuses_a_bad_steps_flag(tmp_path, mnist_slice_dir, capsys):
    status = main(["train", "--data-dir", str(mnist_slice_dir), "--steps", "0",
                   "--out", str(tmp_path / "m.safetensors"), "--quiet", "--no-plot"])
    assert status != 0
    assert "steps" in capsys.readouterr().err
