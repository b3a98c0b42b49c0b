"""The capstone: your own two-layer network trained on MNIST beside barenet's engine, then saved.

    race = train_side_by_side(loss_and_gradients, update, minibatches)   # about a minute
    print(race.summary())            # the curves lie on each other, or the step where they part
    save_model(race.params, "mine.safetensors")   # then: barenet predict mine.safetensors digit.png

Your three functions (the exercises `two_layer_net` and `minibatches`, and an SGD step):

    loss_and_gradients(params, x, y) -> (loss, grads)   params, grads: dicts of W1, b1, W2, b2
    update(params, grads, lr) -> params                 W ← W − η dW for every key (in place or new)
    minibatches(n, batch_size, rng) -> batches          rng.permutation(n) cut in order

Both networks are 784-H-10 with a ReLU hidden layer and softmax cross-entropy, start from the same
weights (barenet's He initialisation from `seed`), see the same pixels in [0, 1], in float64, and
take plain SGD steps. barenet's side is `barenet.nn.fit` (Sequential, Dense, ReLU,
SoftmaxCrossEntropy, SGD); its epoch e shuffles with `np.random.default_rng([seed, e])`, and your
`minibatches` gets a generator seeded the same way, so correct code sees the same batches and the
two loss curves agree to rounding, step after step. The first step where they differ by more than
`rtol` is where your network parts from barenet's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from barenet.exercises.exercise import ExerciseError
from barenet.i18n import _

KEYS = ("W1", "b1", "W2", "b2")


@dataclass
class SideBySide:
    """Two training runs from the same start: per-step losses, where they part, the test accuracies.

    yours, barenet: the batch loss at every step (steps counted from 0 over all epochs);
    parted_at: the first step where |yours − barenet| > rtol · max(1, |barenet|), None when they
    lie on each other; batches_differ_at: the first epoch whose batches from your `minibatches`
    are not barenet's (None: the same); params: your trained parameters; settings: how both were
    trained (hidden, epochs, batch_size, lr, seed), for the model file.
    """

    yours: list[float] = field(default_factory=list)
    barenet: list[float] = field(default_factory=list)
    steps_per_epoch: int = 0
    rtol: float = 1e-4
    parted_at: int | None = None
    batches_differ_at: int | None = None
    params: dict[str, np.ndarray] = field(default_factory=dict)
    accuracy: tuple[float, float] = (0.0, 0.0)  # test accuracy: yours, barenet's
    seconds: float = 0.0  # wall-clock time of the whole race
    cpu_seconds: float = 0.0  # CPU time of this process (all its threads): the work, not the load
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def agree(self) -> bool:
        return self.parted_at is None and len(self.yours) == len(self.barenet)

    def summary(self) -> str:
        """Two or three lines: whether the curves lie on each other, or where they part."""
        yours, ours = self.accuracy
        if self.agree:
            worst = max(abs(a - b) / max(1.0, abs(b)) for a, b in zip(self.yours, self.barenet, strict=True))
            lines = [_("Your network and barenet's lie on each other: {steps} steps, the largest "
                       "difference {worst:.1e} (relative, under {rtol:g}).").format(
                steps=len(self.barenet), worst=worst, rtol=self.rtol)]
        else:
            step = self.parted_at or 0
            lines = [_("The curves part at step {step} (epoch {epoch}, batch {batch}): your loss "
                       "{yours:.6g}, barenet's {ours:.6g}.").format(  # counted from 1, as a learner does
                step=step + 1, epoch=step // self.steps_per_epoch + 1, batch=step % self.steps_per_epoch + 1,
                yours=self.yours[step] if step < len(self.yours) else float("nan"),
                ours=self.barenet[step])]
            if self.batches_differ_at is not None:
                lines.append(_("Your minibatches give other batches than barenet's from epoch {epoch}: "
                               "barenet check minibatches.").format(epoch=self.batches_differ_at + 1))
            else:
                lines.append(_("The batches are the same: check your gradients (barenet check "
                               "two_layer_net) and your update, W ← W − η dW."))
        lines.append(_("Test accuracy: yours {yours:.2%}, barenet's {ours:.2%} ({seconds:.0f} s).").format(
            yours=yours, ours=ours, seconds=self.seconds))
        return "\n".join(lines)


def starting_network(hidden: int, seed: int):
    """barenet's 784-hidden-10 ReLU network in float64, He-initialised from `seed`."""
    from barenet.nn import Dense, ReLU, Sequential

    rng = np.random.default_rng(seed)
    return Sequential([Dense(784, hidden, rng=rng, dtype=np.float64), ReLU(),
                       Dense(hidden, 10, rng=rng, dtype=np.float64)], output_activation="softmax")


def as_params(model) -> dict[str, np.ndarray]:
    """{"W1", "b1", "W2", "b2"}: copies of a 784-H-10 Sequential's parameters."""
    named = dict(model.named_parameters())
    return {"W1": named["0.W"].copy(), "b1": named["0.b"].copy(),
            "W2": named["2.W"].copy(), "b2": named["2.b"].copy()}


def mnist(data_dir: str | Path | None, n_train: int | None):
    from barenet.data.mnist_arrays import load_mnist

    (x, y), (x_test, y_test) = load_mnist(data_dir=data_dir)
    n = len(x) if n_train is None else n_train
    return x[:n].astype(np.float64), y[:n], x_test.astype(np.float64), y_test


def learner(function: Callable, name: str, step: int, *args):
    """Call a learner's function; an exception becomes one ExerciseError naming the step."""
    try:
        return function(*args)
    except Exception as exc:
        raise ExerciseError(_("your {function} raised at step {step}: {error}").format(
            function=name, step=step, error=f"{type(exc).__name__}: {exc}")) from exc


def train_yours(race: SideBySide, functions: tuple[Callable, Callable, Callable], params: dict,
                x: np.ndarray, y: np.ndarray, epochs: int, batch_size: int, lr: float, seed: int) -> dict:
    """Your network's epochs: your batches, your loss and gradients, your update."""
    loss_and_gradients, update, minibatches = functions
    step = 0
    for epoch in range(epochs):
        batches = [np.asarray(b) for b in learner(minibatches, "minibatches", step, len(x), batch_size,
                                                  np.random.default_rng([seed, epoch]))]
        order = np.random.default_rng([seed, epoch]).permutation(len(x))
        theirs = np.concatenate(batches) if batches else np.zeros(0, dtype=int)
        if race.batches_differ_at is None and not np.array_equal(theirs, order):
            race.batches_differ_at = epoch
        for batch in batches:
            loss, grads = learner(loss_and_gradients, "loss_and_gradients", step, params, x[batch], y[batch])
            race.yours.append(float(loss))
            params = learner(update, "update", step, params, grads, lr) or params
            step += 1
    return params


def accuracy(params: dict, x: np.ndarray, y: np.ndarray) -> float:
    h = np.maximum(x @ params["W1"] + params["b1"], 0)
    return float(np.mean(np.argmax(h @ params["W2"] + params["b2"], axis=1) == y))


def train_side_by_side(loss_and_gradients: Callable, update: Callable, minibatches: Callable, *,
                       hidden: int = 64, epochs: int = 2, batch_size: int = 100, lr: float = 0.1,
                       seed: int = 0, n_train: int | None = None, rtol: float = 1e-4,
                       data_dir: str | Path | None = None) -> SideBySide:
    """Train your network and barenet's from the same start; compare their loss at every step.

    n_train: the first n_train training images (None: all 60,000); data_dir: as `load_mnist`.
    Full MNIST, 2 epochs, hidden = 64: about a minute on a laptop core for both.
    """
    from barenet.nn import SGD, SoftmaxCrossEntropy, fit

    start, cpu_start = time.perf_counter(), time.process_time()
    x, y, x_test, y_test = mnist(data_dir, n_train)
    model = starting_network(hidden, seed)
    race = SideBySide(steps_per_epoch=-(-len(x) // batch_size), rtol=rtol,
                      settings={"hidden": hidden, "epochs": epochs, "batch_size": batch_size, "lr": lr,
                                "seed": seed})
    race.params = train_yours(race, (loss_and_gradients, update, minibatches), as_params(model), x, y,
                              epochs, batch_size, lr, seed)
    history = fit(model, SoftmaxCrossEntropy(), SGD(lr), x, y, epochs=epochs, batch_size=batch_size,
                  seed=seed)
    race.barenet = [float(v) for v in history.batch_losses]
    for step, (a, b) in enumerate(zip(race.yours, race.barenet, strict=False)):
        if not abs(a - b) <= rtol * max(1.0, abs(b)):  # nan parts too
            race.parted_at = step
            break
    race.accuracy = (accuracy(race.params, x_test, y_test), accuracy(as_params(model), x_test, y_test))
    race.seconds = time.perf_counter() - start
    race.cpu_seconds = time.process_time() - cpu_start
    return race


def save_model(params: dict, path: str | Path, *, test_accuracy: float | None = None,
               race: SideBySide | None = None) -> Path:
    """Write your params {"W1", "b1", "W2", "b2"} as a barenet model file (`barenet predict` reads it).

    The network is 784-H-10, ReLU, softmax output, for pixels in [0, 1] (no standardisation); the
    weights are stored in float32, as `barenet train` stores them. With the `race` that trained
    them, the file also records how (epochs, batch size, lr, seed), your loss per epoch and, unless
    given, your test accuracy — `barenet info` shows them.
    """
    from barenet.nn import Dense, ReLU, Sequential
    from barenet.saving.modelfile import TrainedModel, save

    missing = [key for key in KEYS if key not in params]
    if missing:
        raise ExerciseError(_("params has no {keys}: a two-layer network needs W1, b1, W2, b2").format(
            keys=_(", ").join(missing)))
    W1, b1, W2, b2 = (np.asarray(params[key], dtype=np.float32) for key in KEYS)
    model = Sequential([Dense(W1.shape[0], W1.shape[1], W=W1, b=b1), ReLU(),
                        Dense(W2.shape[0], W2.shape[1], W=W2, b=b2)], output_activation="softmax")
    if test_accuracy is None and race is not None:
        test_accuracy = race.accuracy[0]
    metrics = {} if test_accuracy is None else {"test_accuracy": float(test_accuracy)}
    trained = TrainedModel(model, config=capstone_config(W1.shape[1], race),
                           class_names=[str(k) for k in range(W2.shape[1])],
                           history=your_history(race), dataset={"name": "mnist"}, metrics=metrics)
    return save(path, trained)


def capstone_config(hidden: int, race: SideBySide | None) -> dict[str, Any]:
    """The training configuration `barenet info` shows: the architecture, and the race's settings."""
    config: dict[str, Any] = {
        "dataset": "mnist", "normalization": "none",
        "hidden": [hidden], "activation": ["relu"], "output": "softmax", "loss": "cross_entropy",
        "init": ["he_normal"], "bias_init": "zeros", "dropout": 0.0, "batchnorm": False,
        "augment": [], "optimizer": "sgd", "schedule": "constant", "sampling": "shuffle"}
    if race is not None:
        config.update({key: value for key, value in race.settings.items() if key != "hidden"})
    return config


def your_history(race: SideBySide | None):
    """Your batch losses, and one record per epoch (numbered from 1) with its mean batch loss."""
    from barenet.nn.training import History

    history = History()
    if race is None or not race.steps_per_epoch:
        return history
    for step, loss in enumerate(race.yours):
        history.add_batch(step, loss)
    per = race.steps_per_epoch
    for epoch in range(-(-len(race.yours) // per)):
        losses = race.yours[epoch * per:(epoch + 1) * per]
        history.records.append({"epoch": epoch + 1, "train_loss": float(np.mean(losses)),
                                "lr": race.settings.get("lr")})
    return history
