"""`barenet train` with no options: test accuracy and wall time over several seeds.

Target (issue 12): ≥ 98.9 % test accuracy in ≤ 60 s wall time on a 2-core CPU, with
the default settings, measured over 3 seeds (mean and min). Each run is a fresh process, exactly
as a user types it, so the wall time includes Python's start, imports, loading and verifying
MNIST, training, the final evaluation, the model file and the learning-curve plot.

    python benchmarks/train_default.py            # seeds 0, 1, 2
    python benchmarks/train_default.py --seeds 5
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import cpu_model

TARGET_ACCURACY = 0.989
TARGET_SECONDS = 60.0


def machine() -> str:
    return f"{cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def run_once(seed: int, workdir: Path, flags: tuple[str, ...] = ()) -> dict:
    """One `barenet train [flags] --seed S` in a fresh process: wall time and the model's metrics."""
    out = workdir / f"seed{seed}-{time.monotonic_ns()}" / "model.safetensors"
    command = [sys.executable, "-m", "barenet", "train", *flags, "--seed", str(seed), "--out",
               str(out), "--quiet"]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"seed {seed}: barenet train {' '.join(flags)} failed:\n{result.stderr}")
    from barenet.saving import modelfile

    trained = modelfile.load(out)
    return {"seed": seed, "wall": wall, "train": trained.metrics["train_seconds"],
            "accuracy": trained.metrics["test_accuracy"], "val": trained.metrics.get("val_accuracy"),
            "epochs": len(trained.history.records)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"barenet train (defaults), {time.strftime('%Y-%m-%d')}, {machine()}, "
          f"load average {load:.1f} at start")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(args.seeds):
            rows.append(run_once(seed, Path(tmp)))
            r = rows[-1]
            print(f"  seed {r['seed']}: test accuracy {r['accuracy']:.2%}, wall {r['wall']:.1f} s "
                  f"(training {r['train']:.1f} s, {r['epochs']} epochs)", flush=True)
    accuracies = [r["accuracy"] for r in rows]
    walls = [r["wall"] for r in rows]
    print()
    print("| metric              | mean    | min     | max     | target  | met |")
    print("|---------------------|---------|---------|---------|---------|-----|")
    print(f"| test accuracy       | {statistics.mean(accuracies):.2%} | {min(accuracies):.2%} | "
          f"{max(accuracies):.2%} | ≥ {TARGET_ACCURACY:.1%} | "
          f"{'yes' if min(accuracies) >= TARGET_ACCURACY else 'NO'} |")
    print(f"| wall time (s)       | {statistics.mean(walls):7.1f} | {min(walls):7.1f} | "
          f"{max(walls):7.1f} | ≤ {TARGET_SECONDS:.0f}    | "
          f"{'yes' if max(walls) <= TARGET_SECONDS else 'NO'} |")


if __name__ == "__main__":
    main()
