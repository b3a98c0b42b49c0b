"""Learning-rate schedules: η as a function of the epoch e = 0, 1, 2, ...

    constant     η_e = η₀
    step         η_e = η₀ · γ^⌊e / step_size⌋
    exponential  η_e = η₀ · γ^e
    cosine       η_e = η_min + ½ (η₀ − η_min)(1 + cos(π e / E))      E = total epochs

The training loop sets `optimizer.lr = schedule(epoch)` at the start of each epoch.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Constant:
    """η_e = η₀ for every epoch: `lr` = η₀."""

    lr: float

    def __call__(self, epoch: int) -> float:
        """η for epoch `epoch` (0, 1, 2, …)."""
        return self.lr

    def config(self) -> dict[str, Any]:
        return {"name": "constant", **asdict(self)}


@dataclass(frozen=True)
class StepDecay:
    """η_e = η₀ · γ^⌊e / step_size⌋: `lr` = η₀, multiplied by `gamma` every `step_size` epochs."""

    lr: float
    step_size: int = 10
    gamma: float = 0.1

    def __call__(self, epoch: int) -> float:
        """η for epoch `epoch` (0, 1, 2, …)."""
        return self.lr * self.gamma ** (epoch // self.step_size)

    def config(self) -> dict[str, Any]:
        return {"name": "step", **asdict(self)}


@dataclass(frozen=True)
class ExponentialDecay:
    """η_e = η₀ · γ^e: `lr` = η₀, multiplied by `gamma` every epoch."""

    lr: float
    gamma: float = 0.95

    def __call__(self, epoch: int) -> float:
        """η for epoch `epoch` (0, 1, 2, …)."""
        return self.lr * self.gamma**epoch

    def config(self) -> dict[str, Any]:
        return {"name": "exponential", **asdict(self)}


@dataclass(frozen=True)
class Cosine:
    """η_e = η_min + ½ (η₀ − η_min)(1 + cos(π e / E)): from `lr` = η₀ down to `min_lr` at E = `epochs`.

    After epoch E the rate stays at η_min.
    """

    lr: float
    epochs: int
    min_lr: float = 0.0

    def __call__(self, epoch: int) -> float:
        """η for epoch `epoch` (0, 1, 2, …)."""
        progress = min(epoch, self.epochs) / max(self.epochs, 1)
        return self.min_lr + 0.5 * (self.lr - self.min_lr) * (1 + math.cos(math.pi * progress))

    def config(self) -> dict[str, Any]:
        return {"name": "cosine", **asdict(self)}


Schedule = Constant | StepDecay | ExponentialDecay | Cosine

SCHEDULES: dict[str, type] = {
    "constant": Constant,
    "step": StepDecay,
    "exponential": ExponentialDecay,
    "cosine": Cosine,
}


def schedule_from_config(config: dict[str, Any]) -> Schedule:
    """Rebuild a schedule from its `config()`."""
    args = dict(config)
    name = args.pop("name")
    return SCHEDULES[name](**args)
