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
from contextlib import contextmanager

from barenet.errors import BarenetError
from barenet.i18n import LANGUAGES, _, language, ngettext, speaking
from barenet.version import __version__

# Subcommands in the order `barenet --help` lists them (module names in this package).
COMMANDS: tuple[str, ...] = ("train", "evaluate", "predict", "serve", "info", "plot", "data",
                             "gradcheck", "export")


def summary(name: str) -> str:
    """The line `barenet --help` shows for subcommand `name` (its module's `register` uses it too)."""
    return {
        "train": _("train a classifier on MNIST (or another dataset)"),
        "evaluate": _("score a saved model: accuracy, loss, per-class precision/recall/F1, "
                      "confusion matrix"),
        "predict": _("read the digit in image files (photos, scans, drawings) with a saved model"),
        "serve": _("serve the drawing page: draw a digit in the browser and watch the model read it"),
        "info": _("show a model file: layers, parameters, how it was trained, its history and scores"),
        "plot": _("draw a model's learning curves and first-layer weights to PNG files"),
        "data": _("check (and download) a dataset: files, checksums, counts, class balance"),
        "gradcheck": _("check backpropagation against finite differences: a small random network, "
                       "or a trained model (--model)"),
        "export": _("write a trained model as an ONNX graph (for onnxruntime and other ONNX tools)"),
    }[name]


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The top-level parser: every subcommand listed, the one `argv` names with all its flags.

    Only that subcommand's module is imported (its flags' help may list the engine's names, which
    loads NumPy), so `barenet --help` and `barenet --version` start in a few tens of milliseconds.
    """
    parser = argparse.ArgumentParser(
        prog="barenet",
        description=_("Neural networks in bare NumPy: train, evaluate and use an MNIST classifier."),
    )
    parser.add_argument("--version", action="version", version=f"barenet {__version__}",
                        help=_("show the version and exit"))
    parser.add_argument("--lang", choices=tuple(LANGUAGES),
                        help=_("the language barenet speaks: en or zh (default: BARENET_LANG, "
                               "then the locale, LC_ALL, LC_MESSAGES or LANG); also after the "
                               "command"))
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    chosen = command_in(sys.argv[1:] if argv is None else argv)
    for name in COMMANDS:
        module = _subcommand(name) if name == chosen else None
        if module is None:
            subparsers.add_parser(name, help=summary(name), add_help=False)
        else:
            module.register(subparsers).set_defaults(run=module.run)
    return parser


def command_in(argv: Sequence[str]) -> str | None:
    """The subcommand `argv` names: its first word that is neither an option nor --lang's value."""
    words = iter(argv)
    for word in words:
        if word == "--lang":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def language_in(argv: Sequence[str]) -> tuple[str | None, list[str]]:
    """--lang's value wherever it stands in `argv` (None if absent or not spoken), and the rest.

    The top-level parser owns --lang; taking it out here lets `barenet train --lang zh` work too,
    and sets the language before any help text is built. A value barenet does not speak goes to
    the front, for the top-level parser to refuse.
    """
    lang, refused, rest = None, [], []
    words = iter(argv)
    for word in words:
        if word == "--":
            rest += [word, *words]
            break
        if word != "--lang" and not word.startswith("--lang="):
            rest.append(word)
            continue
        value = word.partition("=")[2] if "=" in word else next(words, None)
        if value in LANGUAGES:
            lang = value
        else:
            refused = [word] if "=" in word or value is None else [word, value]
    return lang, refused + rest


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
    from barenet.cli.process import guarded

    lang, argv = language_in(sys.argv[1:] if argv is None else argv)
    with speaking(lang), argparse_speaking(), guarded() as guard:  # signals, pipes, unprintable names
        return guard.status(run_command(argv))


@contextmanager
def argparse_speaking():
    """argparse's own words ("usage:", "options", "invalid choice", …) in barenet's language.

    argparse looks up `_` and `ngettext` among its module's globals each time it speaks; they
    point at barenet's catalogues while the command runs, and back at gettext's afterwards.
    """
    before = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = _, ngettext
    formatter = argparse.HelpFormatter
    wrapping = formatter._split_lines, formatter._fill_text, formatter.format_help
    if language() != "en":  # help texts wrapped by terminal columns, also between Chinese characters
        formatter._split_lines, formatter._fill_text = _split_lines, _fill_text
        formatter.format_help = _full_width_headings(wrapping[2])
    try:
        yield
    finally:
        argparse._, argparse.ngettext = before
        formatter._split_lines, formatter._fill_text, formatter.format_help = wrapping


def _full_width_headings(format_help):
    """HelpFormatter.format_help with a Chinese colon after the section headings ("选项：")."""
    import re

    def formatted(formatter: argparse.HelpFormatter) -> str:
        return re.sub(r"^(\S[^\n]*):$", r"\1：", format_help(formatter), flags=re.MULTILINE)

    return formatted


def _split_lines(formatter: argparse.HelpFormatter, text: str, width: int) -> list[str]:
    """argparse's HelpFormatter._split_lines, wrapping Chinese as well (see `columns.wrap`)."""
    from barenet.cli.columns import wrap

    return wrap(formatter._whitespace_matcher.sub(" ", text).strip(), width)


def _fill_text(formatter: argparse.HelpFormatter, text: str, width: int, indent: str) -> str:
    """argparse's HelpFormatter._fill_text, wrapping Chinese as well (see `columns.wrap`)."""
    from barenet.cli.columns import wrap

    lines = wrap(formatter._whitespace_matcher.sub(" ", text).strip(), width - len(indent))
    return "\n".join(indent + line for line in lines)


def run_command(argv: list[str]) -> int:
    """Parse `argv` and run the subcommand it names (see `main`)."""
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
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM / SIGHUP (barenet.cli.process)
        from barenet.cli.process import exit_status

        if not getattr(exc, "reported", False):  # train says itself what it kept
            error(_("interrupted"))
        return exit_status(exc)
