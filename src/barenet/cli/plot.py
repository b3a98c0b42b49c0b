"""`barenet plot`: a model file's learning curves and its first layer's weights, as PNG files.

    barenet plot MODEL [--out PREFIX] [--curves FILE.png] [--weights FILE.png] [--max-tiles N]

With no path flags both figures are drawn next to the model: `<dir>/<stem>-curves.png` and
`<dir>/<stem>-weights.png`. `--out PREFIX` puts them at `PREFIX-curves.png` and
`PREFIX-weights.png`. `--curves` / `--weights` name one figure's file; given without `--out`,
only the figures named are drawn. The paths written are printed on stdout.

The curves: the training loss of every recorded batch (faint) and its moving mean, against the
iteration, then loss and accuracy per epoch, training and validation (`plots.learning_curves`). The weights:
the first Dense layer's W (784, H), each column reshaped to a 28×28 tile, up to `--max-tiles`
hidden units, on a colour map symmetric around 0. A model whose inputs are not a square image
gets no weights figure, and one without a recorded history no curves: a note says so on stderr.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

from barenet.cli import summary
from barenet.cli.columns import left, width
from barenet.i18n import _


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add `barenet plot` and its flags."""
    parser = subparsers.add_parser(
        "plot",
        help=summary("plot"),
        description=_("Draw the learning curves (the training loss per iteration; loss and "
                      "accuracy per epoch, training and validation) and the first layer's weights "
                      "as 28×28 tiles. Default files: <model stem>-curves.png and <model "
                      "stem>-weights.png next to the model."),
    )
    parser.add_argument("model", metavar="MODEL", help=_("a model file written by `barenet train`"))
    parser.add_argument("--out", metavar="PREFIX", default=None,
                        help=_("write PREFIX-curves.png and PREFIX-weights.png"))
    parser.add_argument("--curves", metavar="FILE.png", default=None, help=_("the learning curves' file"))
    parser.add_argument("--weights", metavar="FILE.png", default=None, help=_("the weights' file"))
    parser.add_argument("--max-tiles", type=int, default=64, metavar="N",
                        help=_("hidden units shown in the weights figure (default: 64)"))
    return parser


def targets(args: argparse.Namespace) -> dict[str, Path]:
    """Which figures to draw, and where: {"curves": path, "weights": path} (one or both)."""
    model = Path(args.model)
    prefix = args.out if args.out is not None else str(model.with_suffix(""))
    defaults = {"curves": Path(f"{prefix}-curves.png"), "weights": Path(f"{prefix}-weights.png")}
    named = {k: Path(v) for k, v in (("curves", args.curves), ("weights", args.weights)) if v}
    if named and args.out is None:
        return named
    return {**defaults, **named}


def first_dense_weights(model):
    """W (n_in, H) of the first Dense layer, or None."""
    from barenet.nn.layers import Dense

    return next((layer.W for layer in model.layers if isinstance(layer, Dense)), None)


def figure_name(kind: str) -> str:
    """"curves" or "weights", in the language in use."""
    return {"curves": _("curves"), "weights": _("weights")}.get(kind, kind)


def run(args: argparse.Namespace) -> int:
    """Draw the figures; print where they went. 0 if at least one figure was written."""
    import sys

    from barenet.errors import ConfigError, ModelFileError
    from barenet.experiment import plots
    from barenet.files import check_output_path
    from barenet.saving import modelfile

    if args.max_tiles < 1:
        raise ConfigError(_("--max-tiles {n}: expected at least 1").format(n=args.max_tiles))
    wanted = targets(args)
    for kind, path in wanted.items():  # before any work: a FIFO or device is never replaced
        named = getattr(args, kind) is not None
        check_output_path(path, f"--{kind}" if named else "--out", suffix=".png")
    trained = modelfile.load(args.model)
    notes: list[str] = []
    written: list[tuple[str, Path]] = []

    def write(kind: str, draw) -> None:
        try:
            written.append((kind, draw()))
        except OSError as exc:
            raise ConfigError(_("{path}: cannot write the {kind} figure ({reason}); choose a "
                                "writable path").format(path=wanted[kind], kind=figure_name(kind),
                                                        reason=exc.strerror or exc)) from None

    if "curves" in wanted:
        if trained.history.records:
            write("curves", lambda: plots.learning_curves(trained.history, wanted["curves"]))
        else:
            notes.append(_("{model} records no training history (no epoch): learning curves "
                           "skipped").format(model=args.model))
    if "weights" in wanted:
        W = first_dense_weights(trained.model)
        side = math.isqrt(W.shape[0]) if W is not None else 0
        if W is None:
            notes.append(_("the network has no Dense layer: weights figure skipped"))
        elif side * side != W.shape[0]:
            notes.append(_("the inputs ({n} features) are not a square image: weights figure "
                           "skipped").format(n=W.shape[0]))
        else:
            write("weights", lambda: plots.first_layer_weights(W, wanted["weights"], args.max_tiles))

    for note in notes:
        print(_("note: {note}").format(note=note), file=sys.stderr)
    if not written:
        raise ModelFileError(_("{model}: nothing to plot (no history, and no square first "
                               "layer)").format(model=args.model))
    labels = [_("{kind}:").format(kind=figure_name(kind)) for kind, _path in written]
    columns = max(width(label) for label in labels)
    for label, (_kind, path) in zip(labels, written, strict=True):
        print(f"{left(label, columns)} {path}")
    return 0
