"""`barenet solution ID`: print the reference solution (you decide when to look).

    barenet solution ID [--lang zh]

The printed file passes `barenet check ID` as it is.
"""

from __future__ import annotations

import argparse
from typing import Any

from barenet.cli import summary
from barenet.cli.exercises import add_lang, use_lang
from barenet.i18n import _


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add `barenet solution` and its flags."""
    parser = subparsers.add_parser(
        "solution", help=summary("solution"),
        description=_("Print the reference solution of an exercise (a file that passes `barenet check`)."))
    parser.add_argument("id", metavar="ID", help=_("the exercise (barenet exercises lists them)"))
    add_lang(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    from barenet.cli import error
    from barenet.exercises import ExerciseError, solution

    use_lang(args)
    try:
        print(solution(args.id), end="")
    except ExerciseError as exc:
        error(str(exc))
        return 2
    return 0
