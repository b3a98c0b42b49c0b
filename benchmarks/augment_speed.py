"""How long one epoch of augmented images takes: `EpochAugmenter` on the 60,000 MNIST training digits.

The default strengths (`TrainingConfig().augmentation()`: affine + elastic), the images made
when asked for (as `barenet train` makes them, before each epoch). Before each epoch's images the
worker spends half a second in BLAS products, as training leaves the cores. Each configuration
runs in a fresh process; the rounds alternate their order; the table gives the median and the
range over every repetition. `--before SRC` adds the same rows importing barenet from SRC
(e.g. `git worktree add /tmp/before <commit>`, SRC = /tmp/before/src).

    python benchmarks/augment_speed.py
    python benchmarks/augment_speed.py --before /tmp/before/src --rounds 3 --repeats 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import cpu_model

WORKER = r"""
import json, sys, time
import numpy as np
from barenet.data.augment import EpochAugmenter
from barenet.experiment.config import TrainingConfig
from barenet.data.mnist_arrays import load_mnist

threads, repeats = int(sys.argv[1]), int(sys.argv[2])
(x, _), _ = load_mnist()
augmenter = EpochAugmenter(x, TrainingConfig().augmentation(), 0, prefetch=False, threads=threads)
out = np.empty((len(x), x.shape[1]), np.float32)
a = np.random.default_rng(0).random((1024, 784), dtype=np.float32)
w = np.random.default_rng(1).random((784, 512), dtype=np.float32)
seconds = []
for epoch in range(repeats + 1):
    start = time.perf_counter()
    while time.perf_counter() - start < 0.5:  # the cores as training leaves them
        a @ w
    start = time.perf_counter()
    augmenter.images(epoch, out)
    seconds.append(time.perf_counter() - start)
print(json.dumps(seconds[1:]))  # the first epoch also allocates: left out
"""


def run(src: str | None, threads: int, repeats: int) -> list[float]:
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    done = subprocess.run([sys.executable, "-c", WORKER, str(threads), str(repeats)], env=env,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", default=f"1,{os.cpu_count() or 1}",
                        help="comma-separated thread counts (default: 1 and one per core)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5, help="epochs timed per process")
    parser.add_argument("--before", metavar="SRC", help="also barenet from this source directory")
    args = parser.parse_args()
    threads = sorted({int(t) for t in args.threads.split(",")})
    rows = [(None, t) for t in threads] + ([(args.before, t) for t in threads] if args.before else [])
    times: dict[tuple, list[float]] = {row: [] for row in rows}
    print(f"augmentation of 60,000 MNIST images (one epoch), {time.strftime('%Y-%m-%d %H:%M')}, "
          f"{cpu_model()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    for r in range(args.rounds):
        for row in rows if r % 2 == 0 else rows[::-1]:
            times[row] += run(row[0], row[1], args.repeats)
    print()
    print("| barenet | threads | s per epoch, median | min–max | repetitions |")
    print("|---|---|---|---|---|")
    for (src, t), seconds in times.items():
        print(f"| {'before (' + src + ')' if src else 'this checkout'} | {t} | "
              f"{statistics.median(seconds):.3f} | {min(seconds):.3f}–{max(seconds):.3f} | "
              f"{len(seconds)} |")
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
