"""Classic from-scratch MNIST networks, trained by barenet: the accuracy their authors reported vs ours.

Each network is a TOML file in `examples/`; every run goes through the same code path as

    barenet train --config examples/<file>.toml --seed S

(`barenet.cli.main` in this process), and the numbers are read back from the model file it
writes: the final test accuracy, the best per-epoch validation accuracy (for the networks that
hold a validation set out, like Nielsen's 50,000/10,000 split), and the training time (the sum of
the epochs' seconds: no start-up, data loading or final evaluation).

    python benchmarks/tutorials.py                   # all networks, seeds 0, 1, 2
    python benchmarks/tutorials.py --only T1,T5 --seeds 1
    python benchmarks/tutorials.py --quick           # a fifth of the epochs (or steps): a smoke run
"""

from __future__ import annotations

import argparse
import contextlib
import io
import math
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@dataclass(frozen=True)
class Tutorial:
    id: str
    file: str
    network: str  # a short description for the table
    reported: str  # the published figure, as published
    target: float | None  # the accuracy to reach; None when nothing was reported
    measure: str = "test"  # what the target is compared with: "test", or "val" (best epoch)


TUTORIALS = (
    Tutorial("T1", "t1-relu-sgd.toml", "784-100-10 ReLU, softmax CE, SGD 0.01, b100, 10 ep",
             "92.0 % (10 epochs)", 0.920),
    Tutorial("T2", "t2-binary-tanh.toml", "0 vs 1: 784-10-2 tanh, sigmoid BCE, SGD 0.001, b1, 1 ep",
             "a count; aim ≥ 99.5 %", 0.995),
    Tutorial("T3", "t3-two-layer-net.toml", "784-50-10 sigmoid, softmax CE, SGD 0.1, b100 w/ repl., "
             "10k steps", "≈ 95–97 %", 0.950),
    Tutorial("T4", "t4-two-sigmoid-layers.toml", "784-100-50-10 sigmoid, N(0,1) init, SGD 0.1, "
             "b100 unshuffled, 5 ep", "none", None),
    Tutorial("T5", "t5-nielsen-network.toml", "Nielsen ch.1: 784-30-10 sigmoid, MSE, SGD 3.0, b10, "
             "30 ep", "≈ 95 % (best epoch)", 0.950, "val"),
    Tutorial("T6", "t6-nielsen-network2.toml", "Nielsen ch.3: 784-100-10 sigmoid CE, L2 5.0, "
             "SGD 0.1, b10, 60 ep", "98.0 %", 0.980),
    Tutorial("K", "k-keras-mnist-mlp.toml", "Keras mnist_mlp: 784-512-512-10 ReLU, dropout 0.2, "
             "RMSprop, b128, 20 ep", "98.40 %", 0.984),
)


def machine() -> str:
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


def quick_flags(path: Path) -> list[str]:
    """Flags that cut a run to a fifth of its epochs (or steps), at least one."""
    from barenet.experiment.config import TrainingConfig, load_toml

    config = TrainingConfig.from_dict(load_toml(path), str(path))
    if config.steps is not None:
        return ["--steps", str(max(1, config.steps // 5))]
    return ["--epochs", str(max(1, math.ceil(config.epochs / 5)))]


def run_once(tutorial: Tutorial, seed: int, workdir: Path, quick: bool) -> dict:
    """Train one example with one seed through the CLI; the numbers from its model file."""
    from barenet.cli import main
    from barenet.saving import modelfile

    path = EXAMPLES / tutorial.file
    out = workdir / f"{tutorial.id}-seed{seed}.safetensors"
    argv = ["train", "--config", str(path), "--seed", str(seed), "--out", str(out), "--overwrite",
            "--quiet", "--no-plot", *(quick_flags(path) if quick else [])]
    printed, errors = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(errors):
        status = main(argv)
    if status != 0:
        raise SystemExit(f"{tutorial.id} seed {seed}: barenet {' '.join(argv)} failed ({status}):\n"
                         f"{errors.getvalue()}{printed.getvalue()}")
    trained = modelfile.load(out)
    val = [a for a in trained.history.column("val_accuracy") if a is not None]
    return {"test": trained.metrics["test_accuracy"], "best_val": max(val) if val else None,
            "best_val_epoch": val.index(max(val)) + 1 if val else None,
            "seconds": trained.metrics["train_seconds"], "epochs": len(trained.history.records)}


def percent(values: list[float]) -> str:
    """'97.95% (97.90–98.01)': the mean, then the min–max, in percent."""
    low, high = 100 * min(values), 100 * max(values)
    return f"{statistics.mean(values):.2%} ({low:.2f}–{high:.2f})"


def verdict(tutorial: Tutorial, test: list[float], val: list[float]) -> str:
    if tutorial.target is None:
        return "–"
    measured = statistics.mean(val if tutorial.measure == "val" and val else test)
    return "yes" if measured >= tutorial.target else f"NO ({measured - tutorial.target:+.2%})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", metavar="IDS", help="comma-separated ids, e.g. T1,T5 (default: all)")
    parser.add_argument("--seeds", type=int, default=3, help="seeds 0..N−1 (3)")
    parser.add_argument("--quick", action="store_true",
                        help="a fifth of each network's epochs (or steps): checks the plumbing, "
                        "not the published accuracy")
    args = parser.parse_args()
    wanted = TUTORIALS
    if args.only:
        ids = [i.strip().upper() for i in args.only.split(",") if i.strip()]
        unknown = sorted(set(ids) - {t.id for t in TUTORIALS})
        if unknown:
            parser.error(f"unknown id(s) {', '.join(unknown)}; known: "
                         f"{', '.join(t.id for t in TUTORIALS)}")
        wanted = tuple(t for t in TUTORIALS if t.id in ids)

    print(f"barenet tutorials{' (--quick: a fifth of the epochs)' if args.quick else ''}, "
          f"{time.strftime('%Y-%m-%d')}, {machine()}, load average {os.getloadavg()[0]:.1f} at start, "
          f"seeds 0–{args.seeds - 1}", flush=True)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for tutorial in wanted:
            runs = []
            for seed in range(args.seeds):
                runs.append(run_once(tutorial, seed, Path(tmp), args.quick))
                r = runs[-1]
                best = (f", best validation {r['best_val']:.2%} (epoch {r['best_val_epoch']})"
                        if r["best_val"] is not None else "")
                print(f"  {tutorial.id} seed {seed}: test {r['test']:.2%}{best}, "
                      f"{r['epochs']} epoch(s) in {r['seconds']:.1f} s", flush=True)
            rows.append((tutorial, runs))

    print()
    print("| id | network and training | reported | test accuracy, mean (min–max) "
          "| best-epoch validation, mean | train s, mean | reached |")
    print("|---|---|---|---|---|---|---|")
    for tutorial, runs in rows:
        test = [r["test"] for r in runs]
        val = [r["best_val"] for r in runs if r["best_val"] is not None]
        print(f"| {tutorial.id} | {tutorial.network} | {tutorial.reported} | {percent(test)} | "
              f"{f'{statistics.mean(val):.2%}' if val else '–'} | "
              f"{statistics.mean(r['seconds'] for r in runs):.1f} | "
              f"{'– (quick)' if args.quick else verdict(tutorial, test, val)} |")
    if args.quick:
        print("\n--quick trains a fifth of the epochs: no verdict against the published figures.")
        return
    print("\nreached: the mean test accuracy (T5: the mean best-epoch validation accuracy, as "
          "Nielsen reports his peak epoch) ≥ the reported figure.")


if __name__ == "__main__":
    sys.exit(main())
