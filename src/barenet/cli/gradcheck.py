"""`barenet gradcheck`: prove that backpropagation computes ∂L/∂θ, on a random network or a trained one.

    barenet gradcheck [--hidden 5,4] [--activation relu] [--loss softmax_cross_entropy]
                      [--output softmax] [--inputs 6] [--classes 3] [--batch 4] [--dropout P]
    barenet gradcheck --model MODEL [--images 8] [--data-dir DIR]
        common: [--sample K] [--seed 0] [--eps 1e-6] [--tolerance 1e-6] [--no-progress]

Compares every parameter's backprop gradient (and the input's) with central differences
(`barenet.nn.gradcheck.check_gradients`), in float64, and prints a table of each array's relative
error, the entries that disagree most (backprop and numeric side by side), and a verdict; exit
status 0 when every error is below the tolerance, 1 otherwise.

Without --model, a small network is built by `barenet.experiment.config.build` (the builder `train` uses)
from a seeded Generator, with a random batch. `--loss` takes the names `train --loss` takes (the
engine's LOSSES), `--output` as in `train` (default: softmax for the cross-entropies, sigmoid for
binary_cross_entropy and mse); see `barenet.experiment.config` for what each pair ends the network with.
Hidden layers are Dense → activation (→ Dropout with --dropout; its mask is drawn once and then
frozen, so the loss is one fixed function of θ). Biases start N(0, 0.5²) rather than 0, so that a
layer whose inputs are all 0 cannot put the next ReLU exactly on its kink, where no derivative
exists. Every entry of every array is checked (the network is small) unless --sample says less.

With --model, the trained network is checked in a float64 copy, in inference mode (Dropout is
the identity), with its own loss, on --images test images of the dataset it was trained on
(drawn with --seed, prepared as in training), on --sample random entries of each array (default
20): seconds for 784-512-512-10. Long checks show a progress bar on stderr.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from typing import Any

from barenet.cli import summary
from barenet.cli.columns import left, width
from barenet.errors import ConfigError
from barenet.experiment.config import ACTIVATIONS, OUTPUTS
from barenet.i18n import _

# --output when not given: what each loss usually ends in (else the first output config allows).
DEFAULT_OUTPUT = {"softmax_cross_entropy": "softmax", "cross_entropy": "softmax",
                  "binary_cross_entropy": "sigmoid", "mse": "sigmoid"}
# The flags of the random network, and their defaults (None in argparse: "not given").
NETWORK_FLAGS = {"hidden": "5,4", "activation": "relu", "loss": "softmax_cross_entropy",
                 "output": None, "inputs": 6, "classes": 3, "batch": 4, "dropout": 0.0}
MODEL_SAMPLE = 20
FULL_CHECK = 20_000  # parameters checked entry by entry by default; above, MODEL_SAMPLE per array
SIDE_BY_SIDE = 2  # entries shown per array: the largest disagreements


@dataclass
class Subject:
    """What is checked: the network, its loss, a batch, and how to describe them."""

    model: Any  # nn.Sequential
    loss: Any  # nn.Loss
    x: Any  # (N, n_in)
    y: Any
    title: str  # "gradient check of 784-512(relu)-10 ..."
    batch: str  # "8 test images of mnist (seed 0)"
    loss_name: str
    training: bool = False
    sample: int | None = None


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add `barenet gradcheck` and its flags."""
    from barenet.nn import LOSSES

    p = subparsers.add_parser(
        "gradcheck",
        help=summary("gradcheck"),
        description=_("Compare each parameter's gradient from backpropagation with central "
                      "differences, in float64, on a small random network or (--model) a trained "
                      "one; print the relative errors, the values side by side and a verdict. Exit "
                      "status 0 when every error is below --tolerance, 1 otherwise."),
    )
    net = p.add_argument_group(_("a random network (without --model)"))
    net.add_argument("--hidden", metavar="SIZES",
                     help=_("hidden layer sizes, comma-separated ('' for none; default 5,4)"))
    net.add_argument("--activation", metavar="NAME[,NAME...]",
                     help=_("{names}: one for every hidden layer, or one per layer (default "
                            "relu)").format(names=", ".join(ACTIVATIONS)))
    net.add_argument("--loss", choices=list(LOSSES),
                     help=_("the loss, as in `train --loss` (default softmax_cross_entropy)"))
    net.add_argument("--output", choices=OUTPUTS,
                     help=_("the output, as in `train --output` (default: softmax for the "
                            "cross-entropies, sigmoid for binary_cross_entropy and mse)"))
    net.add_argument("--inputs", type=int, metavar="N", help=_("input features (default 6)"))
    net.add_argument("--classes", type=int, metavar="K", help=_("output units (default 3)"))
    net.add_argument("--batch", type=int, metavar="N", help=_("batch size (default 4)"))
    net.add_argument("--dropout", type=float, metavar="P",
                     help=_("dropout after every hidden activation, mask frozen (default 0: none)"))
    trained = p.add_argument_group(_("a trained model"))
    trained.add_argument("--model", metavar="MODEL", help=_("a model file written by `barenet train`"))
    trained.add_argument("--images", type=int, default=8, metavar="N",
                         help=_("test images of the model's dataset to check on (default 8)"))
    trained.add_argument("--data-dir", metavar="DIR", default=None,
                         help=_("directory of the dataset (default: as recorded, else "
                                "$BARENET_DATA_DIR, else the bundled copy)"))
    p.add_argument("--sample", type=int, metavar="K", default=None,
                   help=_("check K random entries of each array (default: all of a random "
                          "network, {n} of a model's)").format(n=MODEL_SAMPLE))
    p.add_argument("--seed", type=int, default=0,
                   help=_("seed of the weights, the batch and the sampled entries (default 0)"))
    p.add_argument("--eps", type=float, default=1e-6, help=_("finite-difference step ε (default 1e-6)"))
    p.add_argument("--tolerance", type=float, default=1e-6,
                   help=_("largest acceptable relative error (default 1e-6)"))
    p.add_argument("--no-progress", dest="progress", action="store_false",
                   help=_("no progress bar, however long the check"))
    return p


def parse_hidden(text: str) -> list[int]:
    """'5,4' -> [5, 4]; '' -> []. Raises ConfigError naming the option."""
    parts = [part.strip() for part in text.split(",")] if text.strip() else []
    try:
        sizes = [int(part) for part in parts]
    except ValueError:
        sizes = []
    if len(sizes) != len(parts) or any(size < 1 for size in sizes):
        raise ConfigError(_("--hidden {text!r}: expected positive integers separated by commas, "
                            "e.g. 5,4 ('' for no hidden layer)").format(text=text))
    return sizes


def parse_activations(text: str, layers: int) -> list[str]:
    """One activation name per hidden layer, from one name or a comma list of `layers` names."""
    names = [part.strip() for part in text.split(",")]
    for name in names:
        if name not in ACTIVATIONS:
            raise ConfigError(_("--activation: unknown activation {name!r}; choose from "
                                "{names}").format(name=name, names=", ".join(ACTIVATIONS)))
    if len(names) == 1:
        return names * layers
    if len(names) != layers:
        raise ConfigError(_("--activation lists {count} activations for {layers} hidden layers: "
                            "give one for all, or exactly one per layer").format(count=len(names),
                                                                                 layers=layers))
    return names


def default_output(loss: str) -> str:
    """DEFAULT_OUTPUT[loss], or the first output `config.HEADS` pairs with the loss."""
    from barenet.experiment.config import HEADS

    return DEFAULT_OUTPUT.get(loss) or next((o for (name, o) in HEADS if name == loss), "softmax")


def validate(args: argparse.Namespace) -> None:
    """Range checks argparse cannot do; each failure is one ConfigError naming the option."""
    given = [f"--{name}" for name in NETWORK_FLAGS if getattr(args, name) is not None]
    if args.model is not None and given:
        raise ConfigError(_("{flags} describe a random network; with --model the network, its "
                            "loss and its data are the model's: drop them or drop --model").format(
                              flags=", ".join(given)))
    if args.model is None:
        for name, default in NETWORK_FLAGS.items():
            if getattr(args, name) is None:
                setattr(args, name, default)
        args.output = args.output or default_output(args.loss)
    counts = [("--sample", args.sample), ("--images", args.images)]
    if args.model is None:
        counts += [("--inputs", args.inputs), ("--classes", args.classes), ("--batch", args.batch)]
    for option, value in counts:
        if value is not None and value < 1:
            raise ConfigError(_("{option} must be at least 1, got {value}").format(option=option,
                                                                                   value=value))
    if args.model is None and args.output == "softmax" and args.classes < 2:
        raise ConfigError(_("--loss {loss} with a softmax output needs --classes ≥ 2 (a softmax "
                            "over one class is constant), got {classes}; use binary_cross_entropy "
                            "for one unit").format(loss=args.loss, classes=args.classes))
    if args.model is None and not 0 <= args.dropout < 1:
        raise ConfigError(_("--dropout must be in [0, 1), got {p}").format(p=args.dropout))
    for option, value in (("--eps", args.eps), ("--tolerance", args.tolerance)):
        if not value > 0:
            raise ConfigError(_("{option} must be positive, got {value}").format(option=option,
                                                                                value=value))


def random_subject(args: argparse.Namespace) -> Subject:
    """A float64 network built by `config.build` from the flags, a random batch, masks frozen."""
    import numpy as np

    from barenet import nn
    from barenet.experiment.config import TrainingConfig, build

    hidden = parse_hidden(args.hidden)
    activations = parse_activations(args.activation, len(hidden))
    config = TrainingConfig(hidden=hidden, activation=activations or ["relu"], loss=args.loss,
                            output=args.output, bias_init="normal:0.5", dropout=args.dropout,
                            seed=args.seed)
    config.validate(source="gradcheck")
    sample = bounded_sample(args, [args.inputs, *hidden, args.classes])
    model, loss = build(config, args.inputs, args.classes, dtype=np.float64)[:2]
    rng = np.random.default_rng([args.seed, 1])  # the batch: a stream apart from the weights'
    x = rng.standard_normal((args.batch, args.inputs))
    if args.loss == "binary_cross_entropy":
        y = rng.integers(0, 2, size=(args.batch, args.classes)).astype(np.float64)
    else:
        y = rng.integers(0, args.classes, size=args.batch)
    dropouts = [layer for layer in model.layers if isinstance(layer, nn.Dropout)]
    for i, layer in enumerate(dropouts):
        layer.rng = np.random.default_rng([args.seed, 2, i])
    if dropouts:
        model.forward(x.copy(), training=True)  # draw every mask once, then keep it
        for layer in dropouts:
            layer.frozen = True
    mask = _(", dropout {p:g} (mask frozen)").format(p=args.dropout) if dropouts else ""
    return Subject(model, loss, x, y,
                   _("gradient check of {network} with {loss} (float64)").format(
                       network=model.describe(), loss=args.loss),
                   _("a random batch of {n}, seed {seed}{mask}").format(n=args.batch, seed=args.seed,
                                                                        mask=mask),
                   args.loss, training=bool(dropouts), sample=sample)


def bounded_sample(args: argparse.Namespace, sizes: list[int]) -> int | None:
    """--sample, or on a network of more than FULL_CHECK parameters MODEL_SAMPLE entries per
    array (every entry of 5.6 M would take hours); ConfigError before anything is allocated when
    the float64 check cannot fit in memory."""
    from barenet.experiment.memory import check_available, gradcheck_bytes, parameter_count

    check_available(gradcheck_bytes(sizes, args.batch),
                    _("a gradient check of {shape}").format(shape="-".join(map(str, sizes))),
                    _("choose smaller --hidden sizes"))
    count = parameter_count(sizes)
    if args.sample is not None or count <= FULL_CHECK:
        return args.sample
    print(_("note: {count:,} parameters: checking {k} random entries of each array (every entry "
            "would take hours); --sample K for more").format(count=count, k=MODEL_SAMPLE),
          file=sys.stderr)
    return MODEL_SAMPLE


def model_subject(args: argparse.Namespace) -> Subject:
    """The trained model, its loss, and --images test images of its data, prepared as in training."""
    import numpy as np

    from barenet.cli.evaluate import held_out_data
    from barenet.experiment.config import HEADS, TrainingConfig
    from barenet.nn import LOSSES
    from barenet.saving import modelfile

    trained = modelfile.load(args.model)
    model = trained.model
    config = TrainingConfig.from_dict(trained.config, source=_("{model}: recorded configuration")
                                      .format(model=args.model))
    splits, notes = held_out_data(argparse.Namespace(data_dir=args.data_dir, split="test"),
                                  trained, config)
    for note in notes:
        print(note if note.startswith(("note:", _("note: "))) else _("note: {note}").format(note=note),
              file=sys.stderr)
    x_test, y_test = splits.split("test")
    if args.images > len(x_test):
        raise ConfigError(_("--images {n}: the test split has only {count} images").format(
            n=args.images, count=len(x_test)))
    chosen = np.sort(np.random.default_rng(args.seed).choice(len(x_test), args.images, replace=False))
    loss_name = HEADS[(config.loss, config.output)][0]
    copied = "" if model.dtype == np.float64 else \
        _(", in a float64 copy of its {dtype} weights").format(dtype=model.dtype)
    return Subject(model, LOSSES[loss_name](), x_test[chosen], y_test[chosen],
                   _("gradient check of {network} from {model}{copied}").format(
                       network=model.describe(), model=args.model, copied=copied),
                   _("{n} test images of {dataset} (seed {seed}), inference mode").format(
                       n=args.images, dataset=config.dataset, seed=args.seed),
                   loss_name, sample=MODEL_SAMPLE if args.sample is None else args.sample)


class ProgressBar:
    """A tqdm bar on stderr for `check_gradients`' progress(done, total); shown after 1 s."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit=_("entry"), desc=_("central differences"), delay=1.0,
                            leave=False, file=sys.stderr, mininterval=0.25)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def print_header(subject: Subject, checks: list, args: argparse.Namespace) -> None:
    """What was checked, and the definitions of the error and its floor."""
    from barenet.nn.gradcheck import ROUNDING, TOLERANCE

    floor = checks[0].floor
    noise = floor * TOLERANCE
    print(subject.title)
    print(_("loss {loss} on {batch}: L = {value:.3g}; ε = {eps:g}, tolerance {tolerance:g}").format(
        loss=subject.loss_name, batch=subject.batch, value=checks[0].loss, eps=args.eps,
        tolerance=args.tolerance))
    print(_("error = max|backprop − numeric| / max(max|backprop|, max|numeric|, floor), per array, "
            "over the entries checked"))
    print(_("floor = noise / {tolerance:g} = {floor:.1e}, noise = u·max(1, |L|)/ε = {noise:.1e} "
            "(u = {u:.1e}), the rounding error of a float64 central difference: an array whose "
            "gradients are below the floor passes {tolerance:g} when |backprop − numeric| < noise "
            "(docs/math.md §10)").format(tolerance=TOLERANCE, floor=floor, noise=noise, u=ROUNDING))
    print()


def entry_label(check: Any, flat_index: int) -> str:
    """'[12, 345]': the entry's position in its array."""
    import numpy as np

    return "[" + ", ".join(str(int(i)) for i in np.unravel_index(flat_index, check.shape)) + "]"


def print_table(subject: Subject, checks: list, tolerance: float) -> None:
    """One row per array: name, layer, entries checked, shape, error and ok/FAIL."""
    rows = [(_("array"), _("of"), _("entries checked"), _("shape"), _("error"), _("status"))]
    for check in checks:
        if check.name == "input":
            layer = "x"
        else:
            owner = subject.model.layers[int(check.name.split(".")[0])]
            layer = (f"Dense({owner.n_in} → {owner.n_out})" if hasattr(owner, "n_in")
                     else repr(owner))
        rows.append((check.name, layer, _("{checked:,} of {size:,}").format(
                         checked=len(check.indices), size=check.size),
                     "×".join(map(str, check.shape)), f"{check.error:.2e}",
                     _("ok") if check.error < tolerance else _("FAIL")))
    print_rows(rows)
    print()


def print_side_by_side(checks: list) -> None:
    """The entries of each array where backprop and the central difference differ most."""
    import numpy as np

    rows = [(_("array"), _("entry"), _("backprop"), _("numeric"), _("|difference|"))]
    for check in checks:
        difference = np.abs(check.analytic - check.numeric)
        for k in np.argsort(-difference, kind="stable")[:SIDE_BY_SIDE]:
            rows.append((check.name, entry_label(check, check.indices[k]), f"{check.analytic[k]: .12e}",
                         f"{check.numeric[k]: .12e}", f"{difference[k]:.1e}"))
    print(_("the {n} entries of each array that disagree most:").format(n=SIDE_BY_SIDE))
    print_rows(rows)
    print()


def print_rows(rows: list[tuple[str, ...]]) -> None:
    """Left-aligned columns, a rule under the first row."""
    widths = [max(width(row[c]) for row in rows) for c in range(len(rows[0]))]
    for i, row in enumerate(rows):
        print("  ".join(left(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))


def verdict(checks: list, tolerance: float) -> int:
    """PASS or FAIL line (and the one-line error); the exit status."""
    from barenet.cli import error

    worst = max(checks, key=lambda check: check.error)
    failed = [check.name for check in checks if not check.error < tolerance]
    if not failed:
        print(_("PASS: all {n} errors < {tolerance:g} (largest {largest:.2e}, {name})").format(
            n=len(checks), tolerance=tolerance, largest=worst.error, name=worst.name))
        return 0
    print(_("FAIL: {failed} of {n} errors ≥ {tolerance:g} (largest {largest:.2e}, {name})").format(
        failed=len(failed), n=len(checks), tolerance=tolerance, largest=worst.error, name=worst.name))
    error(_("gradient check failed: {arrays} differ from central differences by more than the "
            "tolerance {tolerance:g}").format(arrays=", ".join(failed), tolerance=tolerance))
    return 1


def run(args: argparse.Namespace) -> int:
    """Build or load the network, run the check, print the report and the verdict; 0 if it passes."""
    from barenet.nn.gradcheck import check_gradients

    validate(args)
    subject = model_subject(args) if args.model else random_subject(args)
    bar = ProgressBar(args.progress)
    try:
        checks = check_gradients(subject.model, subject.loss, subject.x, subject.y, args.eps,
                                 subject.training, sample=subject.sample, rng=args.seed,
                                 progress=bar)
    finally:
        bar.close()
    print_header(subject, checks, args)
    print_table(subject, checks, args.tolerance)
    print_side_by_side(checks)
    return verdict(checks, args.tolerance)
