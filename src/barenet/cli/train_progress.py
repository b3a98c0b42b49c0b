"""What `barenet train` hangs on the training loop: a progress bar, epoch lines, checkpoints."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from barenet.i18n import _
from barenet.nn.training import Callback, History


class ProgressBar(Callback):
    """A tqdm bar per epoch (on stderr) with the running mean loss."""

    def __init__(self, disable: bool = False) -> None:
        self.disable = disable
        self.bar = None

    def on_train_begin(self, model, epochs: int, batches_per_epoch: int) -> None:
        self.epochs, self.batches = epochs, batches_per_epoch

    def on_epoch_begin(self, epoch: int) -> None:
        from tqdm import tqdm

        self.total, self.count = 0.0, 0
        self.bar = tqdm(total=self.batches, unit=_("batch"), leave=False, disable=self.disable,
                        desc=_("epoch {epoch}/{epochs}").format(epoch=epoch + 1, epochs=self.epochs),
                        file=sys.stderr, dynamic_ncols=True)

    def on_batch_end(self, batch: int, loss: float) -> None:
        self.total += loss
        self.count += 1
        if self.bar is not None and not self.disable:
            self.bar.update(1)
            if batch % 25 == 0:
                self.bar.set_postfix({_("loss"): f"{self.total / self.count:.4f}"}, refresh=False)

    def on_epoch_end(self, epoch: int, record: dict[str, Any]) -> None:
        self.close()

    def on_train_end(self, history: History) -> None:
        self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class EpochPrinter(Callback):
    """One summary line per epoch: train loss/accuracy, validation loss/accuracy, lr, seconds."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self.say = say

    def on_train_begin(self, model, epochs: int, batches_per_epoch: int) -> None:
        self.epochs = epochs

    def on_epoch_end(self, epoch: int, record: dict[str, Any]) -> None:
        line = _("epoch {epoch:>{width}}/{epochs}  train loss {loss:.4f} acc {accuracy:.2%}").format(
            epoch=record["epoch"], width=len(str(self.epochs)), epochs=self.epochs,
            loss=record["train_loss"], accuracy=record["train_accuracy"])
        if record["val_loss"] is not None:
            line += _("  val loss {loss:.4f} acc {accuracy:.2%}").format(
                loss=record["val_loss"], accuracy=record["val_accuracy"])
        line += _("  lr {lr:.3g}  {seconds:.1f} s").format(lr=record["lr"], seconds=record["seconds"])
        self.say(line)


class Checkpointer(Callback):
    """Calls `save(history)` after every epoch; `save` writes the checkpoint atomically."""

    def __init__(self, save: Callable[[History], object], history: History) -> None:
        self.save, self.history = save, history

    def on_epoch_end(self, epoch: int, record: dict[str, Any]) -> None:
        self.save(self.history)


class DivergenceGuard(Callback):
    """Stops a run whose training loss exploded, with a TrainingError, before it is checkpointed.

    The loop itself stops at a NaN or infinite loss; a learning rate like 1e9 instead drives the
    loss to huge but finite values (2.4e9 from 2.3) and the weights to a useless corner. Here a
    run diverged when an epoch's training loss exceeds FACTOR × the loss of the network before
    training (on a sample of the training set), or is not finite.
    """

    FACTOR = 100.0

    def __init__(self, reference_loss: float) -> None:
        self.reference = max(float(reference_loss), 1e-3)

    def on_epoch_end(self, epoch: int, record: dict[str, Any]) -> None:
        import math

        from barenet.errors import TrainingError

        loss = record["train_loss"]
        if not math.isfinite(loss) or loss > self.FACTOR * self.reference:
            raise TrainingError(_(
                "training diverged: the training loss went from {before:.4g} (before epoch 1 of "
                "this run) to {loss:.4g} in epoch {epoch} (learning rate {lr:.3g}); lower the "
                "learning rate, e.g. --lr 0.001").format(before=self.reference, loss=loss,
                                                          epoch=record["epoch"], lr=record["lr"]))


def divergence_message(error: Exception) -> str:
    """The engine's TrainingError for a loss or parameter gone NaN, in the user's language.

    The engine (barenet.nn) imports nothing of barenet but its errors, so it speaks English; it
    keeps the numbers on the error (`error.diverged`), and the sentence is made again here.
    """
    d = getattr(error, "diverged", None)
    if d is None:
        return str(error)
    what = _("the loss became {loss}").format(loss=d["loss"]) if d["loss"] is not None \
        else _("a parameter became NaN or infinite")
    kept = _("those after epoch {epoch}").format(epoch=d["epoch"]) if d["epoch"] \
        else _("the initial ones")
    return _("{what} in epoch {epoch}, batch {batch} (learning rate {lr:g}): training diverged; "
             "lower the learning rate. The parameters are {kept}.").format(
                 what=what, epoch=d["epoch"] + 1, batch=d["batch"] + 1, lr=d["lr"], kept=kept)
