"""`barenet exercises`: the exercises, their chapters and titles, and how your files stand.

    barenet exercises [--dir DIR] [--no-check] [--lang zh]

One row per exercise: id, chapter, title, and the state of DIR/ID.py (default: the current
directory): no file, passes, not implemented yet, or the mistake the checker sees (each file is
checked as `barenet check` does, in its own process; --no-check only says whether it exists).
"""

from __future__ import annotations

import argparse
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from barenet import i18n
from barenet.cli import summary
from barenet.i18n import _


def add_lang(parser: argparse.ArgumentParser) -> None:
    """--lang, shared by the exercise commands."""
    parser.add_argument("--lang", choices=("en", "zh"),
                        help=_("the language of the texts (default: BARENET_LANG or the locale)"))


def use_lang(args: argparse.Namespace) -> None:
    from barenet.i18n import set_language

    if getattr(args, "lang", None):
        set_language(args.lang)


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add `barenet exercises` and its flags."""
    parser = subparsers.add_parser(
        "exercises", help=summary("exercises"),
        description=_("List the exercises (id, chapter, title) and whether your file ID.py exists "
          "and passes. Start one with `barenet exercise ID`, check it with `barenet check ID`."))
    parser.add_argument("--dir", type=Path, default=Path("."), help=_("where your files are (default: .)"))
    parser.add_argument("--no-check", action="store_true", help=_("do not run the checker on the files"))
    add_lang(parser)
    return parser


def columns(text: str) -> int:
    """The width of `text` on a terminal: Chinese characters take two columns."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def state(exercise_id: str, path: Path, check: bool) -> str:
    from barenet.exercises import ExerciseError, check_file

    if not path.is_file():
        return "—"
    if not check:
        return _("file exists")
    try:
        result = check_file(exercise_id, path)
    except ExerciseError as exc:
        return str(exc).split(":")[0]
    if result.passed:
        return _("passes ✓")
    if result.not_implemented and result.mistake == "exception" and "✗" not in result.message:
        return _("not implemented yet")
    from barenet.exercises.feedback import tag_meaning

    # the very words `barenet check` says (one msgid: 问题“…” in Chinese in both places)
    return _("  Mistake “{tag}” ({meaning})").format(tag=result.mistake,
                                                    meaning=tag_meaning(result.mistake)).strip()


def run(args: argparse.Namespace) -> int:
    from barenet.exercises import EXERCISES

    use_lang(args)
    lang = i18n.language()  # the pool's threads speak it too (--lang may hold for this thread only)

    def state_in(exercise) -> str:
        with i18n.speaking(lang):
            return state(exercise.id, args.dir / f"{exercise.id}.py", not args.no_check)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:  # each check is a process
        states = list(pool.map(state_in, EXERCISES.values()))
    rows = [(e.id, str(e.chapter), e.title(), found) for e, found in zip(EXERCISES.values(), states,
                                                                       strict=True)]
    header = (_("id"), _("chapter"), _("title"), _("your file"))
    widths = [max(columns(row[i]) for row in [header, *rows]) for i in range(3)]
    for row in [header, *rows]:
        cells = [cell + " " * (width - columns(cell)) for cell, width in zip(row, widths, strict=False)]
        print("  ".join(cells) + "  " + row[3])
    print(_("Start one: barenet exercise ID   then: barenet check ID"))
    return 0
