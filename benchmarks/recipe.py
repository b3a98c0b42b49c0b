"""What each ingredient of barenet's MNIST recipe buys in accuracy and costs in time: an ablation.

A ladder of `barenet train` runs, each row adding one ingredient to the row above, from a plain
sigmoid network trained by SGD to the default recipe and beyond it; every row at the default's
batch size and epoch count (the last row: `examples/best-mlp.toml`, its own width and epochs).
Each run is a fresh process, exactly as a user types it, over several seeds; the table gives the
validation accuracy (what recipes are chosen on), the test accuracy (mean and min, reported,
never used to choose) and the time (training: the sum of the epochs; wall: the whole command).

    python benchmarks/recipe.py                      # every row but best-mlp, seeds 0, 1, 2
    python benchmarks/recipe.py --rows all           # with best-mlp.toml (15 min a seed)
    python benchmarks/recipe.py --rows 0,5,6 --seeds 1
    python benchmarks/recipe.py --quick              # 2 epochs a row, 1 seed: a smoke run
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_default
from machine import cpu_model

ROOT = Path(__file__).resolve().parent.parent
BEST = ROOT / "examples" / "best-mlp.toml"


def ladder() -> list[tuple[str, list[str]]]:
    """(ingredient, the flags of `barenet train` for the row): each row adds to the one above."""
    from barenet.experiment.config import TrainingConfig

    d = TrainingConfig()
    kinds = ",".join(d.augment) or "affine,elastic"
    start = ["--hidden", ",".join(map(str, d.hidden)), "--batch-size", str(d.batch_size),
             "--epochs", str(d.epochs), "--activation", "sigmoid", "--optimizer", "sgd",
             "--lr", "0.1", "--schedule", "constant", "--dropout", "0", "--augment", "none",
             "--no-batchnorm", "--label-smoothing", "0"]
    steps = [
        ("sigmoid, Xavier init, SGD 0.1", []),
        ("+ ReLU and He init", ["--activation", "relu"]),
        (f"+ Adam lr {d.lr:g}", ["--optimizer", "adam", "--lr", str(d.lr)]),
        ("+ dropout 0.2", ["--dropout", "0.2"]),
        ("+ cosine decay", ["--schedule", "cosine"]),
        (f"+ augmentation ({kinds.replace(',', ' + ')})", ["--augment", kinds]),
        ("+ BatchNorm", ["--batchnorm"]),
        ("+ label smoothing 0.1", ["--label-smoothing", "0.1"]),
    ]
    rows, flags = [], list(start)
    for name, more in steps:
        flags = flags + more
        rows.append((name, flags))
    rows.append(("best-mlp.toml: 1024-1024, its epochs", ["--config", str(BEST)]))
    return rows


def is_default(flags: list[str]) -> bool:
    """Whether a row's flags give exactly `barenet train`'s default configuration."""
    from barenet.cli import build_parser
    from barenet.cli import train as cli_train
    from barenet.experiment.config import TrainingConfig

    argv = ["train", *flags]
    args = build_parser(argv).parse_args(argv)
    ours = cli_train.resolve_config(args).to_dict()
    return ours == TrainingConfig().to_dict()


def run_once(flags: list[str], seed: int, workdir: Path, quick: bool) -> dict:
    """One row's run for one seed (2 epochs with --quick), without the learning-curve plot."""
    extra = ["--epochs", "2"] if quick else []
    return train_default.run_once(seed, workdir, (*flags, *extra, "--no-plot"))


def summary(name: str, runs: list[dict], default: bool) -> str:
    vals = [r["val"] for r in runs if r["val"] is not None]
    tests = [r["accuracy"] for r in runs]
    val = f"{statistics.mean(vals):.2%}" if vals else "–"
    return (f"| {name}{' (the default)' if default else ''} | {runs[0]['epochs']} | {val} | "
            f"{statistics.mean(tests):.2%} | {min(tests):.2%} | "
            f"{statistics.mean(r['train'] for r in runs):.0f} | "
            f"{statistics.mean(r['wall'] for r in runs):.0f} | {len(runs)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--rows", default="ladder",
                        help="'ladder' (all but best-mlp), 'all', or row numbers, e.g. 0,5,6")
    parser.add_argument("--quick", action="store_true", help="2 epochs a row, 1 seed")
    args = parser.parse_args()
    rows = ladder()
    if args.rows == "all":
        chosen = list(range(len(rows)))
    elif args.rows == "ladder":
        chosen = list(range(len(rows) - 1))
    else:
        chosen = [int(r) for r in args.rows.split(",")]
    seeds = 1 if args.quick else args.seeds
    print(f"barenet recipe ablation, {time.strftime('%Y-%m-%d %H:%M')}, {cpu_model()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, load average "
          f"{os.getloadavg()[0]:.1f} at start" + (" (--quick: 2 epochs a row)" if args.quick else ""))
    print()
    print("| ingredient | epochs | val acc, mean | test acc, mean | test acc, min | train s | "
          "wall s | seeds |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for i in chosen:
            name, flags = rows[i]
            runs = [run_once(flags, seed, Path(tmp), args.quick) for seed in range(seeds)]
            print(summary(f"{i}. {name}", runs, is_default(flags)), flush=True)
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
