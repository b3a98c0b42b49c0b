"""An exercise: its id, chapter, the functions the learner writes, and its texts in each language.

The content of an exercise lives in its module under `catalogue/` (one per exercise):

    CHAPTER      the tutorial chapter it belongs to (docs/tutorials/)
    READ         the sections of docs/math.md that derive it ("3", "9")
    FUNCTIONS    the functions the learner writes (cases.Function: reference, outputs, …)
    SOLUTION     the functions `barenet solution` prints (the references and their helpers)
    TEXTS        {"en": {...}, "zh": {...}}: "title", one docstring per function (formula and
                 shapes), "hints" (three levels: the idea, the formula with the shapes, the shape
                 of the code)
    cases(rng)   the cases the checker calls, hand-made and random
    mistakes(case, args, expected, received)   the classic mistakes' answers on a case (args in
                 float64; received: the learner's answer by part, for mistakes fitted to it)
    judge(case, answer, expected)    (optional) a verdict for answers that are not arrays
    timing_case(function, rng)       (optional) a larger case for the slow-loop note

This module turns that content into the starter file, the solution file and the hints.
"""

from __future__ import annotations

import contextlib
import inspect
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType

from barenet import i18n
from barenet.errors import BarenetError
from barenet.i18n import _


class ExerciseError(BarenetError):
    """A usage error: an unknown exercise, a missing file, a file without the function, a bad level."""


@contextlib.contextmanager
def speaking(lang: str | None) -> Iterator[str]:
    """Speak `lang` ("en", "zh", …) inside the block (None: the language in use); yield its code."""
    if lang is None:
        yield i18n.language()
        return
    previous = getattr(i18n, "_chosen", None)
    i18n.set_language(lang)
    try:
        yield i18n.language()
    finally:
        i18n.set_language(previous)


@dataclass(frozen=True)
class Exercise:
    """One exercise. `functions` are the names the learner writes, in the order they are checked."""

    id: str
    module: ModuleType

    @property
    def chapter(self) -> int:
        return int(self.module.CHAPTER)

    @property
    def specs(self) -> tuple:
        return tuple(self.module.FUNCTIONS)

    @property
    def functions(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.specs)

    @property
    def read(self) -> tuple[str, ...]:
        return tuple(self.module.READ)

    def texts(self, lang: str | None = None) -> dict:
        with speaking(lang) as code:
            return self.module.TEXTS.get(code, self.module.TEXTS["en"])

    def title(self, lang: str | None = None) -> str:
        return self.texts(lang)["title"]

    def __repr__(self) -> str:
        return f"Exercise({self.id!r}, chapter={self.chapter}, functions={self.functions})"


def header(exercise: Exercise, what: str) -> str:
    """The docstring that opens a starter or a solution file."""
    lines = [_("{title}: {what}").format(title=exercise.title(), what=what), "",
             _("Check it:    barenet check {id}").format(id=exercise.id),
             _("Hints:       barenet hint {id} --level 1 (2: the formula with the shapes, 3: the shape "
               "of the code)").format(id=exercise.id),
             _("Read:        chapter {chapter}; docs/math.md {sections}").format(
                 chapter=exercise.chapter, sections=sections(exercise.read))]
    return '"""' + "\n".join(lines) + '\n"""\n\nimport numpy as np\n'


def sections(read: tuple[str, ...] | list[str]) -> str:
    """("3", "9") -> "§3, §9" (in Chinese "§3、§9")."""
    return _(", ").join(f"§{number}" for number in read)


def starter_source(exercise: Exercise, lang: str | None = None) -> str:
    """The starter file: each function's signature, docstring (formula, shapes), # TODO, raise."""
    with speaking(lang):
        texts = exercise.texts()
        parts = [header(exercise, _("barenet exercise “{id}”, chapter {chapter}").format(
            id=exercise.id, chapter=exercise.chapter))]
        todo = _("TODO: write the body, then run: barenet check {id}").format(id=exercise.id)
        for spec in exercise.specs:
            signature = inspect.signature(spec.reference)
            doc = textwrap.indent(texts[spec.name].strip("\n"), "    ")
            parts.append(f"\n\ndef {spec.name}{signature}:\n    \"\"\"{doc.lstrip()}\n    \"\"\"\n"
                         f"    # {todo}\n"
                         f"    raise NotImplementedError(\"{spec.name}\")\n")
        return "".join(parts)


def solution_source(exercise: Exercise, lang: str | None = None) -> str:
    """The reference solution as a file that passes `barenet check`."""
    with speaking(lang):
        parts = [header(exercise, _("the reference solution"))]
        comments = exercise.texts().get("comments", {})
        for function in exercise.module.SOLUTION:
            source = inspect.getsource(function)
            for english, translated in comments.items():
                source = source.replace(f"# {english}", f"# {translated}")
            parts.append("\n\n" + source)
        return "".join(parts)


def hint_text(exercise: Exercise, level: int, lang: str | None = None) -> str:
    """Hint `level` (1: the idea, 2: the formula with the shapes, 3: the shape of the code)."""
    with speaking(lang):
        hints = exercise.texts()["hints"]
        if not 1 <= level <= len(hints):
            raise ExerciseError(_("there is no hint level {level}: the levels are 1 to {last}").format(
                level=level, last=len(hints)))
        return hints[level - 1].strip("\n")
