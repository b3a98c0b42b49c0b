"""The training loop: epochs of mini-batch gradient descent, with validation, history and callbacks.

One step on a batch (x_b, y_b):

    output = model.forward(x_b, training=True)      forward pass, dropout active
    L      = loss.forward(output, y_b)               the batch's mean loss
    model.backward(loss.backward())                  ∂L/∂θ for every parameter θ
    optimizer.step(model.flat)                       θ ← update(θ, ∇θ), all parameters at once

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
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from barenet.errors import ShapeError, TrainingError
from barenet.nn.labels import labels_from_outputs
from barenet.nn.layers import Dropout
from barenet.nn.losses import Loss
from barenet.nn.model import Sequential
from barenet.nn.optimizers import Optimizer
from barenet.nn.schedules import Constant, Schedule, is_per_step

SAMPLINGS = ("shuffle", "sequential", "replacement")

#: At most about this many per-batch losses are kept in a History (see `History.add_batch`).
BATCH_POINTS = 10_000


@dataclass
class History:
    """Per-epoch records, and the training loss of every `batch_every`-th batch.

    records: one dict per epoch: epoch, train_loss, train_accuracy, val_loss, val_accuracy, lr,
        seconds (`val_loss` and `val_accuracy` are None without validation data).
    batch_steps, batch_losses: the batch number s = 0, 1, 2, … counted over the whole run, and
        that batch's mean loss, for every s divisible by `batch_every`; `batch_every` doubles (and
        every other point goes) whenever more than BATCH_POINTS are kept, so a run of any length
        keeps between BATCH_POINTS / 2 and BATCH_POINTS of them.
    stopped_early: whether early stopping ended the run; `best_epoch` is the epoch whose
        parameters the model holds then.
    """

    records: list[dict[str, Any]] = field(default_factory=list)
    stopped_early: bool = False
    best_epoch: int | None = None
    batch_steps: list[int] = field(default_factory=list)
    batch_losses: list[float] = field(default_factory=list)
    batch_every: int = 1

    def column(self, key: str) -> list[Any]:
        return [record[key] for record in self.records]

    def add_batch(self, step: int, loss: float) -> None:
        """Keep (step, loss) if `step` is a multiple of `batch_every`; thin out past BATCH_POINTS."""
        if step % self.batch_every:
            return
        self.batch_steps.append(step)
        self.batch_losses.append(loss)
        if len(self.batch_steps) > BATCH_POINTS:
            self.batch_every *= 2
            kept = [i for i, s in enumerate(self.batch_steps) if s % self.batch_every == 0]
            self.batch_steps = [self.batch_steps[i] for i in kept]
            self.batch_losses = [self.batch_losses[i] for i in kept]

    def to_dict(self) -> dict[str, Any]:
        return {"records": self.records, "stopped_early": self.stopped_early,
                "best_epoch": self.best_epoch, "batch_steps": self.batch_steps,
                "batch_losses": self.batch_losses, "batch_every": self.batch_every}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> History:
        """The inverse of `to_dict`; a history saved before batch losses were kept has none."""
        return cls(list(data.get("records", [])), bool(data.get("stopped_early", False)),
                   data.get("best_epoch"), [int(s) for s in data.get("batch_steps", [])],
                   [math.nan if v is None else float(v) for v in data.get("batch_losses", [])],
                   int(data.get("batch_every", 1)))  # None: a NaN loss, saved as JSON null


class Callback:
    """Hooks into `fit`; override what you need. `on_epoch_end` returns True to stop training."""

    def on_train_begin(self, model: Sequential, epochs: int, batches_per_epoch: int) -> None:
        pass

    def on_epoch_begin(self, epoch: int) -> None:
        pass

    def on_batch_end(self, batch: int, loss: float) -> None:
        pass

    def on_epoch_end(self, epoch: int, record: dict[str, Any]) -> bool | None:
        return None

    def on_train_end(self, history: History) -> None:
        pass


def check_targets(model: Sequential, y: np.ndarray, n: int, name: str = "y") -> None:
    """Raise ShapeError unless y holds n targets the network's K outputs can be scored against.

    Labels (n,) must be integers in 0 … K − 1 (0 or 1 for a single output unit, which also takes
    (n,) float targets: a regression, or probabilities); target rows
    (n, K) must have one column per output.
    """
    y = np.asarray(y)
    if len(y) != n:
        raise ShapeError(f"{n} inputs but {len(y)} targets; give one target per row of the inputs")
    k = model.output_size()
    if y.ndim == 2 and y.shape[1] != k:
        raise ShapeError(f"{name} is {y.shape}, one column per class, but the network has {k} "
                         f"output{'s' if k > 1 else ''}; pass ({n}, {k}) targets or ({n},) labels")
    if y.ndim > 2:
        raise ShapeError(f"{name} is {y.shape}; targets are ({n},) labels or ({n}, {k}) rows")
    if y.ndim == 1 and n and (k > 1 or y.dtype.kind in "biu"):
        top = max(k - 1, 1)
        if y.dtype.kind not in "biu":
            raise ShapeError(f"{name} holds {y.dtype} values; labels are integers 0 … {top} "
                             f"(pass {name}.astype(int) if they are whole numbers)")
        low, high = y.min(), y.max()
        if low < 0 or high > top:
            bad = low if low < 0 else high
            raise ShapeError(f"{name} holds the label {bad:g}, but the network's {k} output"
                             f"{'s' if k > 1 else ''} score{'' if k > 1 else 's'} labels 0 … {top}")


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


Snapshot = tuple[np.ndarray, list[np.ndarray], dict[str, Any]]


def snapshot(model: Sequential, optimizer: Optimizer) -> Snapshot:
    """Copies of the parameters θ, the buffers and the optimiser's state, to roll back to."""
    return (model.flat.theta.copy(), [b.copy() for _, b in model.named_buffers()],
            optimizer.state_dict())


def restore(model: Sequential, optimizer: Optimizer, saved: Snapshot) -> None:
    """Put back what `snapshot` copied."""
    theta, buffers, opt_state = saved
    model.flat.theta[...] = theta
    for (_, buffer), value in zip(model.named_buffers(), buffers, strict=True):
        buffer[...] = value
    optimizer.load_state_dict(opt_state)


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


def diverged(what: str, epoch: int, batch: int, lr: float, loss: float | None = None) -> TrainingError:
    """The error for a run whose numbers stopped being finite, with the fix.

    The numbers are kept on the error too (`error.diverged`: loss, or None when a parameter went
    bad; epoch and batch counted from 0; lr), so that the command line can say it in the user's
    language: the engine itself speaks English only.
    """
    kept = f"those after epoch {epoch}" if epoch else "the initial ones"
    error = TrainingError(
        f"{what} in epoch {epoch + 1}, batch {batch + 1} (learning rate {lr:g}): training "
        f"diverged; lower the learning rate. The parameters are {kept}."
    )
    error.diverged = {"loss": loss, "epoch": epoch, "batch": batch, "lr": lr}
    return error


def epochs_for_steps(steps: int, n: int, batch_size: int) -> int:
    """How many epochs `steps` batches of `batch_size` from n samples start: ⌈steps / ⌈n / batch⌉⌉."""
    return math.ceil(steps / math.ceil(n / batch_size))


def check_fit_arguments(model: Sequential, x: np.ndarray, y: np.ndarray, batch_size: int,
                        sampling: str, validation: tuple | None, early_stopping: int | None,
                        steps: int | None) -> None:
    """Raise ValueError (ShapeError for shapes) for arguments `fit` cannot train with."""
    if sampling not in SAMPLINGS:
        raise ValueError(f"sampling must be one of {SAMPLINGS}, got {sampling!r}")
    if batch_size < 1:
        raise ValueError(f"batch size must be ≥ 1, got {batch_size}")
    if len(x) != len(y):
        raise ShapeError(f"{len(x)} inputs but {len(y)} targets; give one target per row of x")
    if len(x) == 0:
        raise ValueError("the training set is empty")
    if early_stopping is not None and validation is None:
        raise ValueError("early stopping needs validation data")
    if steps is not None and steps < 1:
        raise ValueError(f"steps must be ≥ 1, got {steps}")
    model.check_inputs(x)
    check_targets(model, y, len(x))
    if validation is not None:
        x_val, y_val = validation
        model.check_inputs(x_val, "x_val")
        check_targets(model, y_val, len(x_val), "y_val")


@dataclass
class EarlyStopping:
    """Stop when the validation loss has not improved for `patience` epochs; keep the best state."""

    patience: int
    best_loss: float
    best: Snapshot
    since_best: int = 0

    def update(self, val_loss: float, epoch: int, model: Sequential, optimizer: Optimizer,
               history: History) -> bool:
        """Note epoch `epoch`'s validation loss; True when patience has run out."""
        if val_loss < self.best_loss:
            self.best_loss, self.since_best = val_loss, 0
            self.best = snapshot(model, optimizer)
            history.best_epoch = epoch + 1
            return False
        self.since_best += 1
        return self.since_best >= self.patience

    def exhausted(self) -> bool:
        return self.since_best >= self.patience


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

    def __post_init__(self) -> None:
        n = len(self.x)
        self.batches = math.ceil(n / self.batch_size)
        self.labels = labels_from_outputs(self.y)
        self.dropouts = [(i, layer) for i, layer in enumerate(self.model.layers)
                         if isinstance(layer, Dropout)]
        rows = self.batch_size if self.sampling == "replacement" else min(self.batch_size, n)
        self.buffer = np.empty((rows, *self.x.shape[1:]), dtype=self.x.dtype)  # one batch of inputs

    def inputs(self, epoch: int) -> np.ndarray:
        """Epoch `epoch`'s training inputs: x, or what `epoch_inputs(epoch)` returns (checked)."""
        if self.epoch_inputs is None:
            return self.x
        x = np.asarray(self.epoch_inputs(epoch))
        if x.shape != self.x.shape:
            raise ShapeError(f"epoch_inputs({epoch}) returned an array of shape {x.shape}; it must "
                             f"return x's shape {self.x.shape}, row i the same sample as x[i]")
        return x if x.dtype == self.x.dtype else x.astype(self.x.dtype)

    def epoch(self, epoch: int) -> dict[str, Any]:
        """Train epoch `epoch`; its record, without "seconds".

        Raises TrainingError, with parameters and optimiser state rolled back, on divergence.
        """
        model, loss, optimizer = self.model, self.loss, self.optimizer
        rng = np.random.default_rng([self.seed, epoch])
        for i, layer in self.dropouts:
            layer.rng = np.random.default_rng([self.seed, epoch, i + 1])
        per_step = is_per_step(self.schedule)
        total_steps = self.steps if self.steps is not None else self.epochs * self.batches
        done = epoch * self.batches  # every epoch before this one was whole
        optimizer.lr = self.schedule(done, total_steps) if per_step else self.schedule(epoch)
        epoch_lr = optimizer.lr
        last_good = snapshot(model, optimizer)
        for callback in self.callbacks:
            callback.on_epoch_begin(epoch)
        x = self.inputs(epoch)
        total_loss, correct, seen = 0.0, 0, 0
        count = self.batches if self.steps is None else min(self.batches, self.steps - done)
        batch_iter = mini_batches(x, self.y, self.labels, self.sampling, self.batch_size, count,
                                  rng, self.buffer)
        for b, (xb, yb, lb) in enumerate(batch_iter):
            if per_step:
                optimizer.lr = self.schedule(done + b, total_steps)
            # A diverging run overflows somewhere in a step; the checks below say so clearly.
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                output = model.forward(xb, training=True)
                batch_loss = loss.forward(output, yb)
                if not math.isfinite(batch_loss):
                    restore(model, optimizer, last_good)
                    raise diverged(f"the loss became {batch_loss}", epoch, b, optimizer.lr, batch_loss)
                correct += int((loss.labels(output) == lb).sum())
                model.backward(loss.backward(), input_grad=False)
                optimizer.step(model.flat)
            total_loss += batch_loss * len(xb)
            seen += len(xb)
            self.history.add_batch(done + b, batch_loss)
            for callback in self.callbacks:
                callback.on_batch_end(b, batch_loss)
        if not np.isfinite(model.flat.theta).all():  # the last step's update
            restore(model, optimizer, last_good)
            raise diverged("a parameter became NaN or infinite", epoch, count - 1, optimizer.lr)
        return {"epoch": epoch + 1, "train_loss": total_loss / seen, "train_accuracy": correct / seen,
                "val_loss": None, "val_accuracy": None, "lr": epoch_lr}


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
    Raises ShapeError (a ValueError) for inputs or targets that do not fit the network, and
    TrainingError if the loss becomes NaN or infinite; the parameters and optimiser state are
    then those at the end of the last complete epoch.
    """
    check_fit_arguments(model, x, y, batch_size, sampling, validation, early_stopping, steps)
    model.rebind()  # a parameter assigned as a new array since: its values go into θ
    history = history if history is not None else History()
    if steps is not None:
        epochs = epochs_for_steps(steps, len(x), batch_size)
    run = Run(model, loss, optimizer, x, y, batch_size, seed, sampling, steps,
              schedule if schedule is not None else Constant(optimizer.lr), callbacks, history,
              epoch_inputs, epochs)
    stopper = None
    if early_stopping is not None:
        best_loss = min((r["val_loss"] for r in history.records if r["val_loss"] is not None),
                        default=math.inf)
        stopper = EarlyStopping(early_stopping, best_loss, snapshot(model, optimizer))

    for callback in callbacks:
        callback.on_train_begin(model, epochs, run.batches)
    for epoch in range(len(history.records), epochs):
        started = time.perf_counter()
        record = run.epoch(epoch)
        if validation is not None:
            record["val_loss"], record["val_accuracy"] = evaluate(model, loss, *validation)
        record["seconds"] = time.perf_counter() - started
        history.records.append(record)
        stop = stopper is not None and stopper.update(record["val_loss"], epoch, model, optimizer,
                                                      history)
        for callback in callbacks:
            stop = bool(callback.on_epoch_end(epoch, record)) or stop
        if stop:
            if stopper is not None and stopper.exhausted():
                restore(model, optimizer, stopper.best)
                history.stopped_early = True
            break
    for callback in callbacks:
        callback.on_train_end(history)
    return history
