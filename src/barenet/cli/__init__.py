"""The `barenet` command: parses arguments, calls the library, prints, decides the exit status.

Each subcommand lives in its own module of this package with two functions:

    register(subparsers) -> argparse.ArgumentParser   adds the subcommand and its flags
    run(args) -> int                                  does the work, returns the exit status

Subcommand modules import NumPy, matplotlib, Pillow and the web server inside `run`, not at the
top, so that `barenet predict` starts quickly. Every `BarenetError` the library raises becomes
one line on stderr and exit status 1; a bad flag is argparse's usage message and exit status 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from barenet.errors import BarenetError
from barenet.i18n import _
from barenet.version import __version__

# Subcommands in the order `barenet --help` lists them: module name in this package -> the line
# `barenet --help` shows for it (the module's `register` uses it too).
COMMANDS: dict[str, str] = {
    "train": "train a classifier on MNIST (or another dataset)",
    "evaluate": "score a saved model: accuracy, loss, per-class precision/recall/F1, confusion matrix",
    "predict": "read the digit in image files (photos, scans, drawings) with a saved model",
    "serve": "serve the drawing page: draw a digit in the browser and watch the model read it",
    "info": "show a model file: layers, parameters, how it was trained, its history and scores",
    "plot": "draw a model's learning curves and first-layer weights to PNG files",
    "data": "check (and download) a dataset: files, checksums, counts, class balance",
    "gradcheck": "check backpropagation against finite differences: a small random network, or a "
                 "trained model (--model)",
    "export": "write a trained model as an ONNX graph (for onnxruntime and other ONNX tools)",
    "exercises": "list the exercises (build each piece yourself) and whether your files pass",
    "exercise": "write an exercise's starter file ID.py into the current directory",
    "check": "check your solution of an exercise and name the mistake it sees",
    "hint": "a hint for an exercise: 1 the idea, 2 the formula with the shapes, 3 the code's shape",
    "solution": "print the reference solution of an exercise",
}


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The top-level parser: every subcommand listed, the one `argv` names with all its flags.

    Only that subcommand's module is imported (its flags' help may list the engine's names, which
    loads NumPy), so `barenet --help` and `barenet --version` start in a few tens of milliseconds.
    """
    parser = argparse.ArgumentParser(
        prog="barenet",
        description="Neural networks in bare NumPy: train, evaluate and use an MNIST classifier.",
    )
    parser.add_argument("--version", action="version", version=f"barenet {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    chosen = command_in(sys.argv[1:] if argv is None else argv)
    for name, summary in COMMANDS.items():
        module = _subcommand(name) if name == chosen else None
        if module is None:
            subparsers.add_parser(name, help=summary, add_help=False)
        else:
            module.register(subparsers).set_defaults(run=module.run)
    return parser


def command_in(argv: Sequence[str]) -> str | None:
    """The subcommand `argv` names: its first word that is not an option (None if there is none)."""
    return next((word for word in argv if not word.startswith("-")), None)


def _subcommand(name: str):
    """The module of subcommand `name`, or None if it is not written yet."""
    try:
        return importlib.import_module(f"barenet.cli.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"barenet.cli.{name}":
            raise
        return None


def error(message: str) -> None:
    """Print one error line on stderr, the way every subcommand reports a user's mistake."""
    print(_("barenet: error: {message}").format(message=message), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 error, 2 usage, 130 interrupted)."""
    parser = build_parser(argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error (argparse printed it)
        return exc.code if isinstance(exc.code, int) else 2
    if getattr(args, "run", None) is None:
        parser.print_help()
        return 2
    try:
        return int(args.run(args))
    except BarenetError as exc:
        error(str(exc))
        return 1
    except KeyboardInterrupt:
        error(_("interrupted"))
        return 130
    except BrokenPipeError:  # `barenet ... | head`
        return 0
