"""`barenet gradcheck`: prove, on a small random network, that backpropagation computes ∂L/∂θ.

    barenet gradcheck [--hidden 5,4] [--activation relu] [--loss softmax_cross_entropy]
                      [--inputs 6] [--classes 3] [--batch 4] [--seed 0] [--dropout P]
                      [--eps 1e-6] [--tolerance 1e-6]

Builds a float64 network from a seeded Generator, draws a random batch, and compares every
parameter's backprop gradient (and the input's) with central differences
(`barenet.nn.gradcheck.gradient_check`). Prints a table of each one's max relative error and a
verdict line; exit status 0 when every error is below the tolerance, 1 otherwise.

What `--loss` builds after the hidden layers (K = --classes):

    softmax_cross_entropy  Dense(K) logits, fused softmax + cross-entropy; integer labels
    cross_entropy          Dense(K) → Softmax layer, cross-entropy on probabilities; integer labels
    binary_cross_entropy   Dense(K) logits, fused sigmoid + binary cross-entropy; a random 0/1
                           target per output unit
    mse                    Dense(K) → Sigmoid layer, mean squared error against one-hot labels

Hidden layers are Dense → activation (→ Dropout with --dropout; its mask is drawn once and then
frozen, so the loss is one fixed function of θ). Weights start He-normal for (leaky) ReLU,
Xavier-uniform otherwise; biases start N(0, 0.5²) rather than 0, so that a layer whose inputs are
all 0 cannot put the next ReLU exactly on its kink, where no derivative exists.
"""

from __future__ import annotations

import argparse
from typing import Any

from barenet.cli import COMMANDS
from barenet.config import ACTIVATIONS, activation_layer, auto_init
from barenet.errors import ConfigError

LOSSES = ("softmax_cross_entropy", "cross_entropy", "binary_cross_entropy", "mse")


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add `barenet gradcheck` and its flags."""
    p = subparsers.add_parser(
        "gradcheck",
        help=COMMANDS["gradcheck"],
        description="Build a small random float64 network, compare each parameter's gradient "
        "from backpropagation with central differences, print the relative errors and a verdict. "
        "Exit status 0 when every error is below --tolerance, 1 otherwise.",
    )
    p.add_argument("--hidden", default="5,4", metavar="SIZES",
                   help="hidden layer sizes, comma-separated ('' for none; default 5,4)")
    p.add_argument("--activation", default="relu", metavar="NAME[,NAME...]",
                   help=f"{', '.join(ACTIVATIONS)}: one for every hidden layer, or one per layer "
                   "(default relu)")
    p.add_argument("--loss", default="softmax_cross_entropy", choices=LOSSES,
                   help="the loss, and with it the output layer (default softmax_cross_entropy)")
    p.add_argument("--inputs", type=int, default=6, metavar="N", help="input features (default 6)")
    p.add_argument("--classes", type=int, default=3, metavar="K", help="output units (default 3)")
    p.add_argument("--batch", type=int, default=4, metavar="N", help="batch size (default 4)")
    p.add_argument("--seed", type=int, default=0, help="seed of the weights and the batch (default 0)")
    p.add_argument("--dropout", type=float, default=0.0, metavar="P",
                   help="dropout after every hidden activation, mask frozen (default 0: none)")
    p.add_argument("--eps", type=float, default=1e-6, help="finite-difference step ε (default 1e-6)")
    p.add_argument("--tolerance", type=float, default=1e-6,
                   help="largest acceptable relative error (default 1e-6)")
    return p


def parse_hidden(text: str) -> list[int]:
    """'5,4' -> [5, 4]; '' -> []. Raises ConfigError naming the option."""
    parts = [part.strip() for part in text.split(",")] if text.strip() else []
    try:
        sizes = [int(part) for part in parts]
    except ValueError:
        sizes = []
    if len(sizes) != len(parts) or any(size < 1 for size in sizes):
        raise ConfigError(f"--hidden {text!r}: expected positive integers separated by commas, "
                          "e.g. 5,4 ('' for no hidden layer)")
    return sizes


def parse_activations(text: str, layers: int) -> list[str]:
    """One activation name per hidden layer, from one name or a comma list of `layers` names."""
    names = [part.strip() for part in text.split(",")]
    for name in names:
        if name not in ACTIVATIONS:
            raise ConfigError(f"--activation: unknown activation {name!r}; choose from "
                              f"{', '.join(ACTIVATIONS)}")
    if len(names) == 1:
        return names * layers
    if len(names) != layers:
        raise ConfigError(f"--activation lists {len(names)} activations for {layers} hidden layers: "
                          "give one for all, or exactly one per layer")
    return names


def validate(args: argparse.Namespace) -> None:
    """Range checks argparse cannot do; each failure is one ConfigError naming the option."""
    for option, value in (("--inputs", args.inputs), ("--classes", args.classes), ("--batch", args.batch)):
        if value < 1:
            raise ConfigError(f"{option} must be at least 1, got {value}")
    if args.loss in ("softmax_cross_entropy", "cross_entropy") and args.classes < 2:
        raise ConfigError(f"--loss {args.loss} needs --classes ≥ 2 (a softmax over one class is "
                          f"constant), got {args.classes}; use binary_cross_entropy for one unit")
    if not 0 <= args.dropout < 1:
        raise ConfigError(f"--dropout must be in [0, 1), got {args.dropout}")
    if not args.eps > 0:
        raise ConfigError(f"--eps must be positive, got {args.eps}")
    if not args.tolerance > 0:
        raise ConfigError(f"--tolerance must be positive, got {args.tolerance}")


def run(args: argparse.Namespace) -> int:
    """Build the network, run the check, print the table and the verdict; 0 if it passes."""
    import numpy as np

    from barenet import nn
    from barenet.cli import error

    hidden = parse_hidden(args.hidden)
    activations = parse_activations(args.activation, len(hidden))
    validate(args)

    rng = np.random.default_rng(args.seed)
    layers: list[nn.Layer] = []
    n_in = args.inputs
    for size, name in zip(hidden, activations, strict=True):
        layers += [nn.Dense(n_in, size, auto_init(name), "normal:0.5", rng=rng, dtype=np.float64),
                   activation_layer(name)]
        if args.dropout:
            layers.append(nn.Dropout(args.dropout, rng=rng))
        n_in = size
    last_init = auto_init(activations[-1] if activations else "identity")
    layers.append(nn.Dense(n_in, args.classes, last_init, "normal:0.5", rng=rng, dtype=np.float64))
    if args.loss == "cross_entropy":
        layers.append(nn.Softmax())
    elif args.loss == "mse":
        layers.append(nn.Sigmoid())
    model = nn.Sequential(layers)
    loss = nn.LOSSES[args.loss]()

    x = rng.standard_normal((args.batch, args.inputs))
    if args.loss == "binary_cross_entropy":
        y = rng.integers(0, 2, size=(args.batch, args.classes)).astype(np.float64)
    else:
        y = rng.integers(0, args.classes, size=args.batch)
    if args.dropout:
        model.forward(x.copy(), training=True)  # draw every mask once, then keep it
        for layer in layers:
            if isinstance(layer, nn.Dropout):
                layer.frozen = True

    errors = nn.gradient_check(model, loss, x, y, eps=args.eps, training=bool(args.dropout))

    print(f"gradient check of {model.describe()} with {args.loss} (float64)")
    print(f"batch {args.batch}, seed {args.seed}, ε = {args.eps:g}, tolerance {args.tolerance:g}"
          + (f", dropout {args.dropout:g} (mask frozen)" if args.dropout else ""))
    print("max relative error = max|backprop − numeric| / max(|backprop|, |numeric|) per array")
    print()
    shapes = {name: param.shape for name, param in model.named_parameters()}
    shapes["input"] = x.shape
    rows = [("array", "of", "shape", "max rel. error", "status")]
    for name, err in errors.items():
        if name == "input":
            layer = "x"
        else:
            dense = model.layers[int(name.split(".")[0])]
            layer = f"Dense({dense.n_in} → {dense.n_out})"
        rows.append((name, layer, "×".join(map(str, shapes[name])), f"{err:.2e}",
                     "ok" if err < args.tolerance else "FAIL"))
    widths = [max(len(row[c]) for row in rows) for c in range(5)]
    for i, row in enumerate(rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print()

    worst = max(errors, key=errors.get)
    failed = [name for name, err in errors.items() if not err < args.tolerance]
    if not failed:
        print(f"PASS: all {len(errors)} errors < {args.tolerance:g} (largest {errors[worst]:.2e}, {worst})")
        return 0
    print(f"FAIL: {len(failed)} of {len(errors)} errors ≥ {args.tolerance:g} "
          f"(largest {errors[worst]:.2e}, {worst})")
    error(f"gradient check failed: {', '.join(failed)} differ from central differences by more "
          f"than the tolerance {args.tolerance:g}")
    return 1
