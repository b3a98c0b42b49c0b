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
from barenet.version import __version__

# Subcommands in the order `barenet --help` lists them: module name in this package.
COMMANDS: tuple[str, ...] = (
    "train",
    "evaluate",
    "predict",
    "serve",
    "info",
    "plot",
    "data",
    "gradcheck",
    "export",
)


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with one subparser per available subcommand."""
    parser = argparse.ArgumentParser(
        prog="barenet",
        description="Neural networks in bare NumPy: train, evaluate and use an MNIST classifier.",
    )
    parser.add_argument("--version", action="version", version=f"barenet {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"barenet.cli.{name}")
        except ModuleNotFoundError as exc:  # a subcommand not written yet
            if exc.name != f"barenet.cli.{name}":
                raise
            continue
        sub = module.register(subparsers)
        sub.set_defaults(run=module.run)
    return parser


def error(message: str) -> None:
    """Print one error line on stderr, the way every subcommand reports a user's mistake."""
    print(f"barenet: error: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 error, 2 usage, 130 interrupted)."""
    parser = build_parser()
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
        error("interrupted")
        return 130
    except BrokenPipeError:  # `barenet ... | head`
        return 0
