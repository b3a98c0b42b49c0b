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
from barenet.nn.schedules import Constant, Schedule, is_per_step
from barenet.nn.stopping import EarlyStopping, diverged, restore, snapshot

__all__ = ["SAMPLINGS", "Callback", "History", "epochs_for_steps", "evaluate", "fit"]


def fit(
    model: Sequential,
    loss: Loss,
    optimizer: Optimizer,
    x: np.ndarray,
    y: np.ndarray,
    *,
    epochs: int = 10,
    batch_size: int = 128,
    seed: int = 0,
    validation: tuple[np.ndarray, np.ndarray] | None = None,
    schedule: Schedule | None = None,
    sampling: str = "shuffle",
    early_stopping: int | None = None,
    steps: int | None = None,
    callbacks: Sequence[Callback] = (),
    history: History | None = None,
    epoch_inputs: Callable[[int], np.ndarray] | None = None,
    fast: bool = True,
) -> History:
    """Train `model` in place; return the history (continuing `history` when resuming).

    x: (n, n_in) in the parameters' dtype; y: (n,) integer labels or (n, K) targets.
    validation: (x_val, y_val), evaluated after every epoch.
    schedule: sets `optimizer.lr` at the start of each epoch, or before every batch for a
        per-step schedule (`per_step = True`; default: the optimiser's lr).
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
    if steps is not None:
        epochs = epochs_for_steps(steps, len(x), batch_size)
    run = Run(model, loss, optimizer, x, y, batch_size, seed, sampling, steps,
              schedule or Constant(optimizer.lr), callbacks, history, epoch_inputs, epochs, fast)
    stopper = EarlyStopping.start(early_stopping, history, model, optimizer)
    for callback in callbacks:
        callback.on_train_begin(model, epochs, run.batches)
    for epoch in range(len(history.records), epochs):
        started = time.perf_counter()
        record = run.epoch(epoch)
        if validation is not None:
            record["val_loss"], record["val_accuracy"] = evaluate(model, loss, *validation)
        record["seconds"] = time.perf_counter() - started
        history.records.append(record)
        if run.stops(epoch, record, stopper):
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
    schedule: Schedule
    callbacks: Sequence[Callback]
    history: History
    epoch_inputs: Callable[[int], np.ndarray] | None
    epochs: int  # of the whole run (for a per-step schedule's total: epochs · batches)
    fast: bool

    def __post_init__(self) -> None:
        n = len(self.x)
        self.batches = math.ceil(n / self.batch_size)
        self.labels = labels_from_outputs(self.y)
        rows = self.batch_size if self.sampling == "replacement" else min(self.batch_size, n)
        self.buffer = np.empty((rows, *self.x.shape[1:]), dtype=self.x.dtype)  # one batch of inputs

    def epoch(self, epoch: int) -> dict[str, Any]:
        """Train epoch `epoch`; its record. Raises TrainingError, rolled back, on divergence."""
        model, loss, optimizer = self.model, self.loss, self.optimizer
        last_good = snapshot(model, optimizer)
        batches = self.begin(epoch)
        done, epoch_lr = epoch * self.batches, self.learning_rate(epoch, epoch * self.batches)
        total_loss, correct, seen = 0.0, 0, 0
        step = FastStep(model, loss, optimizer) if self.fast else None
        try:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # checked below
                for b, (xb, yb, lb) in enumerate(batches):
                    optimizer.lr = self.learning_rate(epoch, done + b)
                    if step is None:  # the textbook step
                        output = model.forward(xb, training=True)
                        batch_loss = loss.forward(output, yb)
                        model.backward(loss.backward())
                        optimizer.step(model.parameters())
                        predicted = loss.labels(output)
                    else:
                        batch_loss, predicted = step(xb, yb)
                    if not math.isfinite(batch_loss):
                        restore(model, optimizer, last_good)
                        raise diverged(f"the loss became {batch_loss}", epoch, b, optimizer.lr)
                    total_loss, seen = total_loss + batch_loss * len(xb), seen + len(xb)
                    correct += int((predicted == lb).sum())
                    self.after_batch(done + b, b, batch_loss)
        finally:
            if step is not None:
                step.close()
        if not all(np.isfinite(p).all() for _, p in model.named_parameters()):  # the last update
            restore(model, optimizer, last_good)
            raise diverged("a parameter became NaN or infinite", epoch, b, optimizer.lr)
        return {"epoch": epoch + 1, "train_loss": total_loss / seen, "train_accuracy": correct / seen,
                "val_loss": None, "val_accuracy": None, "lr": epoch_lr}

    def begin(self, epoch: int) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Seed the epoch's dropout masks, tell the callbacks; the epoch's batches."""
        for i, layer in enumerate(self.model.layers):
            if isinstance(layer, Dropout):
                layer.rng = np.random.default_rng([self.seed, epoch, i + 1])
        for callback in self.callbacks:
            callback.on_epoch_begin(epoch)
        done = epoch * self.batches  # every epoch before this one was whole
        count = self.batches if self.steps is None else min(self.batches, self.steps - done)
        return mini_batches(self.inputs(epoch), self.y, self.labels, self.sampling,
                            self.batch_size, count, np.random.default_rng([self.seed, epoch]),
                            self.buffer)

    def learning_rate(self, epoch: int, step: int) -> float:
        """η for batch `step` of the run (in epoch `epoch`), from the schedule."""
        if is_per_step(self.schedule):
            total = self.steps if self.steps is not None else self.epochs * self.batches
            return self.schedule(step, total)
        return self.schedule(epoch)

    def after_batch(self, step: int, batch: int, batch_loss: float) -> None:
        """Record the batch's loss in the history and tell the callbacks."""
        self.history.add_batch(step, batch_loss)
        for callback in self.callbacks:
            callback.on_batch_end(batch, batch_loss)

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


def mini_batches(
    x: np.ndarray, y: np.ndarray, labels: np.ndarray, sampling: str, batch_size: int,
    count: int, rng: np.random.Generator, buffer: np.ndarray,
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The first `count` batches (inputs, targets, integer labels) of one epoch, by `sampling`.

    Inputs are gathered into `buffer` (reused for every batch, so an epoch allocates no batch
    arrays), except in "sequential" order, where a batch is a view of `x`.
    """
    n = len(x)
    order = rng.permutation(n) if sampling == "shuffle" else None
    for b in range(count):
        if sampling == "sequential":
            batch = slice(b * batch_size, (b + 1) * batch_size)
            yield x[batch], y[batch], labels[batch]  # views: no copy
            continue
        if sampling == "shuffle":
            index = order[b * batch_size : (b + 1) * batch_size]
        else:  # "replacement"
            index = rng.integers(0, n, size=batch_size)
        # mode="clip" because with out= the default "raise" gathers into a temporary and copies
        # it over (NumPy's docs: "out is always buffered if mode='raise'"); these indices are in
        # range by construction, and writing straight into the buffer saves 15–35 µs a batch.
        xb = np.take(x, index, axis=0, out=buffer[: len(index)], mode="clip")
        yb = y[index]
        yield xb, yb, (yb if labels is y else labels[index])  # integer labels: the same gather


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
