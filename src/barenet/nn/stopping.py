"""Going back to good parameters: snapshots, early stopping, and the error of a diverged run.

A snapshot copies θ (every parameter), the buffers (BatchNorm's running statistics) and the
optimiser's state; `restore` puts them back in place. Early stopping keeps the snapshot of the
epoch with the lowest validation loss; a run whose loss stops being finite goes back to the
snapshot taken at the start of its epoch and raises `diverged(...)`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from barenet.errors import TrainingError
from barenet.nn.history import History
from barenet.nn.model import Sequential
from barenet.nn.optimizers import Optimizer

Snapshot = tuple[list[np.ndarray], list[np.ndarray], dict[str, Any]]


def snapshot(model: Sequential, optimizer: Optimizer) -> Snapshot:
    """Copies of the parameters θ, the buffers and the optimiser's state, to roll back to."""
    return ([p.copy() for _, p in model.named_parameters()],
            [b.copy() for _, b in model.named_buffers()], optimizer.state_dict())


def restore(model: Sequential, optimizer: Optimizer, saved: Snapshot) -> None:
    """Put back what `snapshot` copied."""
    parameters, buffers, opt_state = saved
    for (_, array), value in zip(model.named_parameters() + model.named_buffers(),
                                 parameters + buffers, strict=True):
        array[...] = value
    optimizer.load_state_dict(opt_state)


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


@dataclass
class EarlyStopping:
    """Stop when the validation loss has not improved for `patience` epochs; keep the best state."""

    patience: int
    best_loss: float
    best: Snapshot
    since_best: int = 0

    @classmethod
    def start(cls, patience: int | None, history: History, model: Sequential,
              optimizer: Optimizer) -> EarlyStopping | None:
        """None without patience; else the state now, to beat (by a resumed run's best loss)."""
        if patience is None:
            return None
        best_loss = min((r["val_loss"] for r in history.records if r["val_loss"] is not None),
                        default=math.inf)
        return cls(patience, best_loss, snapshot(model, optimizer))

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
