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
    lr: float

    def __call__(self, epoch: int) -> float:
        return self.lr

    def config(self) -> dict[str, Any]:
        return {"name": "constant", **asdict(self)}


@dataclass(frozen=True)
class StepDecay:
    lr: float
    step_size: int = 10
    gamma: float = 0.1

    def __call__(self, epoch: int) -> float:
        return self.lr * self.gamma ** (epoch // self.step_size)

    def config(self) -> dict[str, Any]:
        return {"name": "step", **asdict(self)}


@dataclass(frozen=True)
class ExponentialDecay:
    lr: float
    gamma: float = 0.95

    def __call__(self, epoch: int) -> float:
        return self.lr * self.gamma**epoch

    def config(self) -> dict[str, Any]:
        return {"name": "exponential", **asdict(self)}


@dataclass(frozen=True)
class Cosine:
    lr: float
    epochs: int
    min_lr: float = 0.0

    def __call__(self, epoch: int) -> float:
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
