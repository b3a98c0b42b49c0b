"""The figure of augmented digits: MNIST training digits beside what the network is shown instead.

Two groups of variants, each drawn as `barenet train` draws them: the default recipe's
augmentation (the strengths of `TrainingConfig`, `augment` as in the defaults or affine) and
the one of `examples/best-mlp.toml`.

    python benchmarks/augment_figure.py                       # writes docs/augmented-digits.png
    python benchmarks/augment_figure.py --out /tmp/a.png --digits 8 --variants 5
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def label(config) -> str:
    """A group's title: what is applied, with the largest rotation and the elastic α."""
    parts = []
    if "affine" in config.augment:
        parts.append(f"affine (±{config.rotate:g}°)")
    if "elastic" in config.augment:
        parts.append(f"elastic (α {config.elastic_alpha:g})")
    return " + ".join(parts) or "none"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "augmented-digits.png"))
    parser.add_argument("--digits", type=int, default=6, help="rows: one digit each")
    parser.add_argument("--variants", type=int, default=4, help="variants per digit and group")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    from barenet.data import load_dataset
    from barenet.data.augment import augment
    from barenet.experiment.config import TrainingConfig, load_toml
    from barenet.experiment.plots import augmented_digits

    default = TrainingConfig()
    if not default.augment:
        default = default.replace(augment=["affine"])
    best = TrainingConfig.from_dict({**TrainingConfig().to_dict(),
                                     **load_toml(ROOT / "examples" / "best-mlp.toml")})
    images = load_dataset("mnist", progress=False).train_images
    # one of each digit 0, 1, 2, ... in the order they first appear
    first = [int(np.flatnonzero(load_dataset("mnist", progress=False).train_labels == d)[0])
             for d in range(args.digits)]
    originals = images[first]
    rng = np.random.default_rng(args.seed)
    groups = {}
    for name, config in (("default", default), ("best-mlp.toml", best)):
        strengths = config.augmentation()
        variants = np.stack([augment(originals, strengths, rng) for _ in range(args.variants)], axis=1)
        groups[f"{name}: {label(config)}"] = variants
    path = augmented_digits(originals / np.float32(255), groups, args.out)
    print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KB)")


if __name__ == "__main__":
    main()
