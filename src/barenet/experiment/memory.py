"""Will a network fit in memory? Estimated from its sizes before a single weight is allocated.

Training a network of P parameters (float32, 4 bytes each) keeps

    the parameters and their gradients                 2 · 4P bytes
    the optimiser's moment buffers, m per parameter    m · 4P bytes   (its `moments`: SGD 0,
                                                                      momentum 1, Adam 2)
    the activations of one batch of B samples, a few   4 · B · Σ widths · ACTIVATION_COPIES
      arrays per layer (z, a, dropout mask, δ)
    the inference chunks of evaluation (4096 rows)     4 · 4096 · max width · 2

`check_fits(...)` compares that with the memory the system has available (MemAvailable of
/proc/meminfo, else the physical memory) and raises ConfigError, with both sizes in bytes,
when the network cannot fit: `--hidden 2000000` is refused at once, not after the machine swapped.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence

from barenet.errors import ConfigError
from barenet.i18n import _
from barenet.nn.optimizers import OPTIMIZERS

ACTIVATION_COPIES = 4
INFERENCE_ROWS = 4096


def parameter_count(sizes: Sequence[int]) -> int:
    """Weights and biases of Dense layers sizes[0] → sizes[1] → ...: Σ (n_in + 1) · n_out."""
    return sum((n_in + 1) * n_out for n_in, n_out in itertools.pairwise(sizes))


def training_bytes(sizes: Sequence[int], optimizer: str, batch_size: int) -> int:
    """Bytes to train a network of layer widths `sizes` (inputs first), see the module docstring."""
    params = parameter_count(sizes)
    moments = len(OPTIMIZERS[optimizer].moments) if optimizer in OPTIMIZERS else 2
    activations = 4 * batch_size * sum(sizes[1:]) * ACTIVATION_COPIES
    inference = 4 * INFERENCE_ROWS * max(sizes) * 2
    return 4 * params * (2 + moments) + activations + inference


def available_bytes() -> int | None:
    """Memory the system can give a new allocation now (MemAvailable), or None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def check_fits(sizes: Sequence[int], optimizer: str, batch_size: int,
               available: int | None = None) -> None:
    """ConfigError if training `sizes` needs more memory than is available (both in bytes)."""
    needed = training_bytes(sizes, optimizer, batch_size)
    available = available_bytes() if available is None else available
    if available is None or needed <= available:
        return
    shape = "-".join(str(n) for n in sizes)
    raise ConfigError(
        _("the network {shape} has {count:,} parameters and needs about {needed:,} bytes ({gb:.1f} "
          "GB) to train with {optimizer} and batch {batch}, more than the {available:,} bytes "
          "({agb:.1f} GB) of memory available; choose smaller --hidden sizes (the default is "
          "512,512)").format(shape=shape, count=parameter_count(sizes), needed=needed,
                             gb=needed / 1e9, optimizer=optimizer, batch=batch_size,
                             available=available, agb=available / 1e9))


def gradcheck_bytes(sizes: Sequence[int], batch: int) -> int:
    """Bytes of a float64 gradient check of Dense widths `sizes`: the parameters, their gradients
    and the check's flat copies (4 · 8P), and a batch's activations as in training."""
    return 8 * parameter_count(sizes) * 4 + 8 * batch * sum(sizes[1:]) * ACTIVATION_COPIES


def check_available(needed: int, what: str, fix: str, available: int | None = None) -> None:
    """ConfigError if `needed` bytes (for `what`) exceed the memory available; `fix` says what to do."""
    available = available_bytes() if available is None else available
    if available is None or needed <= available:
        return
    raise ConfigError(_("{what} needs about {needed:,} bytes ({gb:.1f} GB), more than the "
                        "{available:,} bytes ({agb:.1f} GB) of memory available; {fix}").format(
        what=what, needed=needed, gb=needed / 1e9, available=available, agb=available / 1e9, fix=fix))
