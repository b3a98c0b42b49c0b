"""`barenet exercise ID`: write the starter file ID.py into the current directory (never over a file).

    barenet exercise ID [--dir DIR] [--lang zh]

The starter holds each function's signature, a docstring with the formula and the shapes, a
`# TODO` and `raise NotImplementedError`. An existing ID.py is never touched: the command says so
and exits with 1.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from barenet.cli import summary
from barenet.cli.exercises import add_lang, use_lang
from barenet.i18n import _


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add `barenet exercise` and its flags."""
    parser = subparsers.add_parser(
        "exercise", help=summary("exercise"),
        description=_("Write the starter file ID.py (signatures, docstrings with the formula and the "
          "shapes, # TODO) into the current directory; an existing file is never overwritten."))
    parser.add_argument("id", metavar="ID", help=_("the exercise (barenet exercises lists them)"))
    parser.add_argument("--dir", type=Path, default=Path("."), help=_("where to write it (default: .)"))
    add_lang(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    from barenet.cli import error
    from barenet.exercises import ExerciseError, starter

    use_lang(args)
    try:
        source = starter(args.id)
    except ExerciseError as exc:
        error(str(exc))
        return 2
    path = args.dir / f"{args.id}.py"
    try:
        with path.open("x", encoding="utf-8") as handle:  # "x": fails if the file exists
            handle.write(source)
    except FileExistsError:
        error(_("{path} already exists and is left as it is: check it with `barenet check {id}`, or "
                "move it away to start again").format(path=path, id=args.id))
        return 1
    except OSError as exc:
        error(_("cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc))
        return 1
    print(_("wrote {path}: fill in the functions, then run `barenet check {id}`").format(
        path=path, id=args.id))
    return 0
