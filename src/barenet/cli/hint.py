"""`barenet hint ID [--level N]`: a hint, 1 the idea, 2 the formula with the shapes, 3 the code's shape.

    barenet hint ID [--level N] [--lang zh]
"""

from __future__ import annotations

import argparse
from typing import Any

from barenet.cli import summary
from barenet.cli.exercises import add_lang, use_lang
from barenet.i18n import _


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add `barenet hint` and its flags."""
    parser = subparsers.add_parser(
        "hint", help=summary("hint"),
        description=_("Print a hint for an exercise: level 1 the idea, 2 the formula with the shapes, "
          "3 the shape of the code."))
    parser.add_argument("id", metavar="ID", help=_("the exercise (barenet exercises lists them)"))
    parser.add_argument("--level", type=int, default=1, metavar="N", help=_("1, 2 or 3 (default 1)"))
    add_lang(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    from barenet.cli import error
    from barenet.exercises import ExerciseError, hint

    use_lang(args)
    try:
        text = hint(args.id, args.level)
    except ExerciseError as exc:
        error(str(exc))
        return 2
    print(_("Hint {level} of 3 for {id}:").format(level=args.level, id=args.id))
    print(text)
    if args.level < 3:
        print(_("More: barenet hint {id} --level {next}").format(id=args.id, next=args.level + 1))
    return 0
