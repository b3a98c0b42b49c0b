"""What `fit` records and whom it tells: the History of a run, and the Callback hooks.

History: one record per epoch (losses, accuracies, learning rate, seconds) and the loss of every
`batch_every`-th batch; saved with a model. Callback: on_train_begin, on_epoch_begin,
on_batch_end, on_epoch_end (True stops training), on_train_end.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from barenet.nn.model import Sequential

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
        if step % self.batch_every == 0:
            self.batch_steps.append(step)
            self.batch_losses.append(loss)
            if len(self.batch_steps) > BATCH_POINTS:
                self.thin()

    def thin(self) -> None:
        """Double `batch_every` and keep only the points it divides: every other one goes."""
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
