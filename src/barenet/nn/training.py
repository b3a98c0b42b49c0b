"""The training loop: epochs of mini-batch gradient descent, with validation, history and callbacks.

One step on a batch (x_b, y_b), the four lines of `Run.epoch`:

    output = model.forward(x_b, training=True)      forward pass, dropout active
    L      = loss.forward(output, y_b)               the batch's mean loss
    model.backward(loss.backward())                  ∂L/∂θ for every parameter θ
    optimizer.step(model.parameters())               θ ← update(θ, ∂L/∂θ), in place

`fit(..., fast=True)` (the default) runs the same step through `barenet.nn.fast.FastStep`: one
flat parameter vector, in-place layers, the optimiser fused over cache blocks and threads; the
same numbers (tests/test_nn_fast.py), faster. `fast=False` runs the four lines above.

Batches are vectorised: one matrix product per layer for the whole batch, no loop over samples.
How an epoch walks the training set (`sampling`):
    "shuffle"      a fresh random permutation each epoch, cut into batches (the usual choice)
    "sequential"   the data in its stored order, every epoch (some tutorials do this)
    "replacement"  each batch drawn uniformly with replacement; ⌈n / batch⌉ batches per epoch
`steps` counts batches instead of epochs (a tutorial's "10,000 iterations"): ⌈steps / batches per
epoch⌉ epochs, the last one cut short.

`epoch_inputs(e)`, if given, supplies epoch e's training inputs in place of x (augmented images,
row for row the same samples as x), so what epoch e sees still depends on e alone.

Randomness: epoch e's shuffling and dropout masks come from generators seeded with (seed, e), so
an epoch depends only on the seed, its number and the parameters it starts from. A run resumed
from the checkpoint written after epoch e therefore continues exactly as the uninterrupted run.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from barenet.errors import ShapeError
from barenet.nn.checks import SAMPLINGS, check_fit_arguments, check_targets
from barenet.nn.fast import FastStep
from barenet.nn.history import Callback, History
from barenet.nn.labels import labels_from_outputs
from barenet.nn.layers import Dropout
from barenet.nn.losses import Loss
from barenet.nn.model import Sequential
from barenet.nn.optimizers import Optimizer
from barenet.nn.schedules import Constant, Schedule
from barenet.nn.stopping import EarlyStopping, Snapshot, diverged, restore, snapshot

__all__ = ["SAMPLINGS", "Callback", "History", "epochs_for_steps", "evaluate", "fit"]


def fit(model: Sequential, loss: Loss, optimizer: Optimizer, x: np.ndarray, y: np.ndarray, *,
        epochs: int = 10, batch_size: int = 128, seed: int = 0,
        validation: tuple[np.ndarray, np.ndarray] | None = None, schedule: Schedule | None = None,
        sampling: str = "shuffle", early_stopping: int | None = None, steps: int | None = None,
        callbacks: Sequence[Callback] = (), history: History | None = None,
        epoch_inputs: Callable[[int], np.ndarray] | None = None, fast: bool = True) -> History:
    """Train `model` in place; return the history (continuing `history` when resuming).

    x: (n, n_in) in the parameters' dtype; y: (n,) integer labels or (n, K) targets.
    validation: (x_val, y_val), evaluated after every epoch.
    schedule: sets `optimizer.lr = schedule(s, batches per epoch, total batches)` before every
        batch s (default: the optimiser's lr, constant).
    early_stopping: stop when the validation loss has not improved for this many epochs, and
        restore the parameters of the best epoch.
    steps: train for exactly this many batches instead of `epochs` epochs (`epochs_for_steps`).
    history: the history of a run being resumed; training continues at epoch len(records).
    epoch_inputs: epoch_inputs(e) -> epoch e's (n, n_in) inputs, row i the same sample as x[i]
        (e.g. freshly augmented images); called at the start of each epoch e = 0, 1, …
    fast: the step through `barenet.nn.fast` (same numbers, faster); False: the textbook's lines.
    Raises ShapeError (a ValueError) for inputs or targets that do not fit the network, and
    TrainingError if the loss becomes NaN or infinite; the parameters and optimiser state are
    then those at the end of the last complete epoch.
    """
    check_fit_arguments(model, x, y, batch_size, sampling, validation, early_stopping, steps)
    history = history if history is not None else History()
    epochs = epochs if steps is None else epochs_for_steps(steps, len(x), batch_size)
    run = Run(model, loss, optimizer, x, y, batch_size, seed, sampling, steps, validation,
              schedule or Constant(optimizer.lr), callbacks, history, epoch_inputs, epochs, fast)
    stopper = EarlyStopping.start(early_stopping, history, model, optimizer)
    for callback in callbacks:
        callback.on_train_begin(model, epochs, run.batches)
    for epoch in range(len(history.records), epochs):
        history.records.append(run.epoch(epoch))
        if run.stops(epoch, history.records[-1], stopper):
            break
    for callback in callbacks:
        callback.on_train_end(history)
    return history


@dataclass
class Run:
    """What every epoch of one `fit` call shares, and `epoch(e)`: one pass over the data."""

    model: Sequential
    loss: Loss
    optimizer: Optimizer
    x: np.ndarray
    y: np.ndarray
    batch_size: int
    seed: int
    sampling: str
    steps: int | None
    validation: tuple[np.ndarray, np.ndarray] | None
    schedule: Schedule
    callbacks: Sequence[Callback]
    history: History
    epoch_inputs: Callable[[int], np.ndarray] | None
    epochs: int
    fast: bool

    def __post_init__(self) -> None:
        n = len(self.x)
        self.batches = math.ceil(n / self.batch_size)  # per epoch
        self.total = self.steps if self.steps is not None else self.epochs * self.batches
        self.labels = labels_from_outputs(self.y)
        rows = self.batch_size if self.sampling == "replacement" else min(self.batch_size, n)
        self.buffer = np.empty((rows, *self.x.shape[1:]), dtype=self.x.dtype)  # one batch of inputs

    def epoch(self, epoch: int) -> dict[str, Any]:
        """Train epoch `epoch`, then validate; its record. TrainingError, rolled back, on divergence."""
        model, loss, optimizer, started = self.model, self.loss, self.optimizer, time.perf_counter()
        last_good, batches, s = snapshot(model, optimizer), self.begin(epoch), epoch * self.batches
        fast_step = FastStep(model, loss, optimizer) if self.fast else contextlib.nullcontext()
        with fast_step as step, np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for xb, yb, lb in batches:
                optimizer.lr = self.schedule(s, self.batches, self.total)
                if step is None:  # the textbook step
                    output = model.forward(xb, training=True)
                    batch_loss = loss.forward(output, yb)
                    model.backward(loss.backward())
                    optimizer.step(model.parameters())
                    predicted = loss.labels(output)
                else:
                    batch_loss, predicted = step(xb, yb)
                self.tally(s, batch_loss, int((predicted == lb).sum()), len(xb), last_good)
                s += 1
        return self.end(epoch, last_good, started)

    def begin(self, epoch: int) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Seed the epoch's dropout masks, tell the callbacks; the epoch's batches."""
        for i, layer in enumerate(self.model.layers):
            if isinstance(layer, Dropout):
                layer.rng = np.random.default_rng([self.seed, epoch, i + 1])
        for callback in self.callbacks:
            callback.on_epoch_begin(epoch)
        self.sums = [0.0, 0, 0]  # Σ loss · rows, correct predictions, rows
        count = min(self.batches, self.total - epoch * self.batches)
        return mini_batches(self.inputs(epoch), self.y, self.labels, self.sampling,
                            self.batch_size, count, np.random.default_rng([self.seed, epoch]),
                            self.buffer)

    def tally(self, s: int, batch_loss: float, correct: int, rows: int, last_good: Snapshot) -> None:
        """Count batch s's loss and correct predictions; tell the history and the callbacks."""
        if not math.isfinite(batch_loss):
            self.roll_back(last_good, f"the loss became {batch_loss}", s, batch_loss)
        self.sums = [self.sums[0] + batch_loss * rows, self.sums[1] + correct, self.sums[2] + rows]
        self.history.add_batch(s, batch_loss)
        for callback in self.callbacks:
            callback.on_batch_end(s % self.batches, batch_loss)

    def end(self, epoch: int, last_good: Snapshot, started: float) -> dict[str, Any]:
        """The epoch's record, its last update checked finite (else rolled back), validated."""
        if not all(np.isfinite(p).all() for _, p in self.model.named_parameters()):
            self.roll_back(last_good, "a parameter became NaN or infinite", (epoch + 1) * self.batches - 1)
        total_loss, correct, seen = self.sums
        val_loss, val_accuracy = (None, None) if self.validation is None else \
            evaluate(self.model, self.loss, *self.validation)
        return {"epoch": epoch + 1, "train_loss": total_loss / seen, "train_accuracy": correct / seen,
                "val_loss": val_loss, "val_accuracy": val_accuracy,
                "lr": self.schedule(epoch * self.batches, self.batches, self.total),
                "seconds": time.perf_counter() - started}

    def roll_back(self, last_good: Snapshot, what: str, s: int, loss: float | None = None) -> None:
        """Restore the state at the start of the epoch; raise the error of a run diverged at batch s."""
        restore(self.model, self.optimizer, last_good)
        raise diverged(what, s // self.batches, s % self.batches, self.optimizer.lr, loss)

    def stops(self, epoch: int, record: dict[str, Any], stopper: EarlyStopping | None) -> bool:
        """After epoch `epoch`: ask early stopping and the callbacks; roll back if patience ran out."""
        stop = stopper is not None and stopper.update(record["val_loss"], epoch, self.model,
                                                      self.optimizer, self.history)
        for callback in self.callbacks:
            stop = bool(callback.on_epoch_end(epoch, record)) or stop
        if stop and stopper is not None and stopper.exhausted():
            restore(self.model, self.optimizer, stopper.best)
            self.history.stopped_early = True
        return stop

    def inputs(self, epoch: int) -> np.ndarray:
        """Epoch `epoch`'s training inputs: x, or what `epoch_inputs(epoch)` returns (checked)."""
        if self.epoch_inputs is None:
            return self.x
        x = np.asarray(self.epoch_inputs(epoch))
        if x.shape != self.x.shape:
            raise ShapeError(f"epoch_inputs({epoch}) returned an array of shape {x.shape}; it must "
                             f"return x's shape {self.x.shape}, row i the same sample as x[i]")
        return x if x.dtype == self.x.dtype else x.astype(self.x.dtype)


def mini_batches(x: np.ndarray, y: np.ndarray, labels: np.ndarray, sampling: str, batch_size: int,
                 count: int, rng: np.random.Generator, buffer: np.ndarray) -> Iterator[tuple]:
    """The first `count` batches (inputs, targets, integer labels) of one epoch, by `sampling`.

    Inputs are gathered into `buffer`, reused for every batch: an epoch allocates no batch arrays.
    (mode="clip": with out= the default "raise" gathers into a temporary and copies it over, and
    these indices are in range by construction.)
    """
    n = len(x)
    order = rng.permutation(n) if sampling == "shuffle" else np.arange(n)
    for b in range(count):
        index = (rng.integers(0, n, size=batch_size) if sampling == "replacement"
                 else order[b * batch_size : (b + 1) * batch_size])
        xb = np.take(x, index, axis=0, out=buffer[: len(index)], mode="clip")
        yield xb, y[index], labels[index]


def epochs_for_steps(steps: int, n: int, batch_size: int) -> int:
    """How many epochs `steps` batches of `batch_size` from n samples start: ⌈steps / ⌈n / batch⌉⌉."""
    return math.ceil(steps / math.ceil(n / batch_size))


def evaluate(model: Sequential, loss: Loss, x: np.ndarray, y: np.ndarray,
             batch_size: int = 2048) -> tuple[float, float]:
    """(mean loss, accuracy) of the model on (x, y), in inference mode, in batches."""
    n = len(x)
    if n == 0:
        raise ValueError("cannot evaluate on an empty set")
    model.check_inputs(x)
    check_targets(model, y, n)
    labels = labels_from_outputs(y)
    total_loss, correct = 0.0, 0
    for start in range(0, n, batch_size):
        xb, yb = x[start : start + batch_size], y[start : start + batch_size]
        output = model.forward(xb, training=False)
        total_loss += loss.forward(output, yb) * len(xb)
        correct += int((loss.labels(output) == labels[start : start + batch_size]).sum())
    return total_loss / n, correct / n
