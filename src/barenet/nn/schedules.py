"""Learning-rate schedules: η for batch s = 0, 1, 2, … of a run of S batches, B to an epoch.

Every schedule is called the same way, before every batch: `η = schedule(s, B, S)`.

Per epoch (the same η for every batch of epoch e = ⌊s / B⌋):

    constant            η_e = η₀
    step                η_e = η₀ · γ^⌊e / step_size⌋
    exponential         η_e = η₀ · γ^e
    cosine              η_e = η_min + ½ (η₀ − η_min)(1 + cos(π e / E))      E = total epochs

Per batch (s counts the batches of the whole run, S = total_steps):

    warmup              η_s = η₀ (s + 1) / W for s < W, then η₀                 linear warm-up
    cosine_steps        warm-up as above, then η_min + ½ (η₀ − η_min)(1 + cos(π (s − W) / (S − W)))
    one_cycle           from η₀/div up to η₀ over the first W = ⌊f S⌉ steps, then down to
                        η₀/(div · final_div), both halves cosine (Smith & Topin 2019)
    exponential_steps   η_s = η₀ · γ^⌊s / every⌋     decay per iteration (every = 1), as in the
                        0-vs-1 tutorials trained one sample at a time (examples/t2-binary-tanh.toml)
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Constant:
    """η_e = η₀ for every epoch: `lr` = η₀."""

    lr: float

    def __call__(self, step: int, epoch_steps: int, total_steps: int) -> float:
        return self.lr

    def config(self) -> dict[str, Any]:
        return {"name": "constant", **asdict(self)}


@dataclass(frozen=True)
class StepDecay:
    """η_e = η₀ · γ^⌊e / step_size⌋: `lr` = η₀, multiplied by `gamma` every `step_size` epochs."""

    lr: float
    step_size: int = 10
    gamma: float = 0.1

    def __call__(self, step: int, epoch_steps: int, total_steps: int) -> float:
        """η for batch `step`, in epoch e = step // epoch_steps."""
        return self.lr * self.gamma ** (step // epoch_steps // self.step_size)

    def config(self) -> dict[str, Any]:
        return {"name": "step", **asdict(self)}


@dataclass(frozen=True)
class ExponentialDecay:
    """η_e = η₀ · γ^e: `lr` = η₀, multiplied by `gamma` every epoch."""

    lr: float
    gamma: float = 0.95

    def __call__(self, step: int, epoch_steps: int, total_steps: int) -> float:
        """η for batch `step`, in epoch e = step // epoch_steps."""
        return self.lr * self.gamma ** (step // epoch_steps)

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

    def __call__(self, step: int, epoch_steps: int, total_steps: int) -> float:
        """η for batch `step`, in epoch e = step // epoch_steps."""
        progress = min(step // epoch_steps, self.epochs) / max(self.epochs, 1)
        return self.min_lr + 0.5 * (self.lr - self.min_lr) * (1 + math.cos(math.pi * progress))

    def config(self) -> dict[str, Any]:
        return {"name": "cosine", **asdict(self)}


def cosine_between(start: float, end: float, progress: float) -> float:
    """From `start` at progress 0 to `end` at 1 along half a cosine: end + ½ (start − end)(1 + cos π p)."""
    return end + 0.5 * (start - end) * (1 + math.cos(math.pi * min(max(progress, 0.0), 1.0)))


@dataclass(frozen=True)
class LinearWarmup:
    """Per batch: η_s = η₀ (s + 1) / W for the first W = `warmup_steps` batches, then η₀ = `lr`.

    Starts small while Adam's moment estimates and the first layers settle, reaching η₀ at s = W − 1.
    """

    lr: float
    warmup_steps: int = 500

    def __call__(self, step: int, epoch_steps: int, total_steps: int) -> float:
        """η for batch `step` (0, 1, …) of a run of `total_steps` batches."""
        return self.lr * min(1.0, (step + 1) / max(self.warmup_steps, 1))

    def config(self) -> dict[str, Any]:
        return {"name": "warmup", **asdict(self)}


@dataclass(frozen=True)
class CosineSteps:
    """Per batch: a linear warm-up over `warmup_steps` (W) batches, then cosine from `lr` to `min_lr`.

    η_s = η₀ (s + 1) / W for s < W;  η_s = η_min + ½ (η₀ − η_min)(1 + cos(π (s − W) / (S − W)))
    after, reaching η_min at the run's end, s = S (S = total_steps). W = 0: no warm-up.
    """

    lr: float
    min_lr: float = 0.0
    warmup_steps: int = 0

    def __call__(self, step: int, epoch_steps: int, total_steps: int) -> float:
        """η for batch `step` (0, 1, …) of a run of `total_steps` batches."""
        if step < self.warmup_steps:
            return self.lr * (step + 1) / self.warmup_steps
        progress = (step - self.warmup_steps) / max(total_steps - self.warmup_steps, 1)
        return cosine_between(self.lr, self.min_lr, progress)

    def config(self) -> dict[str, Any]:
        return {"name": "cosine_steps", **asdict(self)}


@dataclass(frozen=True)
class OneCycle:
    """Per batch, the one-cycle policy (Smith & Topin 2019), in PyTorch's cosine form.

    W = round(warmup_fraction · S) batches rise from η₀/div to η₀ = `lr`; the remaining ones fall
    to η₀/(div · final_div), reached at the last batch s = S − 1; both along half a cosine.
    """

    lr: float
    warmup_fraction: float = 0.3
    div: float = 25.0
    final_div: float = 1e4

    def __call__(self, step: int, epoch_steps: int, total_steps: int) -> float:
        """η for batch `step` (0, 1, …) of a run of `total_steps` batches."""
        warmup = round(self.warmup_fraction * total_steps)
        start, final = self.lr / self.div, self.lr / (self.div * self.final_div)
        if step < warmup:
            return cosine_between(start, self.lr, step / warmup)
        return cosine_between(self.lr, final, (step - warmup) / max(total_steps - 1 - warmup, 1))

    def config(self) -> dict[str, Any]:
        return {"name": "one_cycle", **asdict(self)}


@dataclass(frozen=True)
class ExponentialSteps:
    """Per batch: η_s = η₀ · γ^⌊s / every⌋, with η₀ = `lr`, γ = `gamma`.

    every = 1 decays every iteration, the schedule of the tutorials that train one sample at a
    time (lr ← lr · 0.999 after each update); every = 100 decays every hundred batches.
    """

    lr: float
    gamma: float = 0.999
    every: int = 1

    def __call__(self, step: int, epoch_steps: int, total_steps: int) -> float:
        """η for batch `step` (0, 1, …) of a run of `total_steps` batches."""
        return self.lr * self.gamma ** (step // max(self.every, 1))

    def config(self) -> dict[str, Any]:
        return {"name": "exponential_steps", **asdict(self)}


Schedule = (Constant | StepDecay | ExponentialDecay | Cosine | LinearWarmup | CosineSteps | OneCycle
            | ExponentialSteps)

SCHEDULES: dict[str, type] = {
    "constant": Constant,
    "step": StepDecay,
    "exponential": ExponentialDecay,
    "cosine": Cosine,
    "warmup": LinearWarmup,
    "cosine_steps": CosineSteps,
    "one_cycle": OneCycle,
    "exponential_steps": ExponentialSteps,
}


def per_epoch(schedule: Schedule) -> bool:
    """Whether `schedule` changes η only from one epoch to the next (else before any batch)."""
    return isinstance(schedule, (Constant, StepDecay, ExponentialDecay, Cosine))


def schedule_from_config(config: dict[str, Any]) -> Schedule:
    """Rebuild a schedule from its `config()`."""
    args = dict(config)
    name = args.pop("name")
    return SCHEDULES[name](**args)
