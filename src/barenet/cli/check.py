"""`barenet check ID [FILE]`: run the checker on your file and say what it sees.

    barenet check ID [FILE] [--json] [--lang zh]

FILE defaults to ./ID.py. The file runs in a separate process with time and memory limits
(`barenet.exercises.sandbox`); the feedback names the first case that fails, the expected and
the received value, and the mistake when the checker recognises it. Exit status 0 when it
passes, 1 when a mistake is found, 2 for a usage error (an unknown id, no such file, a file
without the function: one line on stderr). --json prints one object
{"exercise", "passed", "mistake", "message"}.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from barenet.cli import summary
from barenet.cli.exercises import add_lang, use_lang
from barenet.i18n import _


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add `barenet check` and its flags."""
    parser = subparsers.add_parser(
        "check", help=summary("check"),
        description=_("Check your solution of an exercise: exit status 0 when it passes, 1 when the "
          "checker finds a mistake, 2 for a usage error."))
    parser.add_argument("id", metavar="ID", help=_("the exercise (barenet exercises lists them)"))
    parser.add_argument("file", metavar="FILE", nargs="?", type=Path,
                        help=_("your file (default: ./ID.py)"))
    parser.add_argument("--json", action="store_true",
                        help=_('print one JSON object {"exercise", "passed", "mistake", "message"}'))
    add_lang(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    from barenet.cli import error
    from barenet.exercises import ExerciseError, check_file

    use_lang(args)
    try:
        result = check_file(args.id, args.file or Path(f"{args.id}.py"))
    except ExerciseError as exc:
        error(str(exc))
        if args.json:  # a program reading stdout gets its object too
            print(json.dumps({"exercise": args.id, "passed": False, "mistake": None,
                              "message": str(exc)}, ensure_ascii=False))
        return 2
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        print(result.message)
    return 0 if result.passed else 1
