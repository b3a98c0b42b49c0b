"""Build it yourself: exercises that the checker marks, naming the mistake it sees.

    EXERCISES                          id -> Exercise (.id, .chapter, .functions, .title(lang))
    starter(id, lang=None) -> str      the starter file: signatures, docstrings, # TODO
    check_file(id, path, lang=None)    run a learner's file in a separate, limited process
    check(id, *functions, lang=None)   check functions defined here (a notebook); prints the feedback
    hint(id, level, lang=None) -> str  1: the idea, 2: the formula with the shapes, 3: the code's shape
    solution(id) -> str                the reference solution
    capstone                           the learner's own network on MNIST, beside barenet's

Each exercise is a module of `catalogue/`; `checker.py` runs the cases and recognises the mistakes
(`cases.TAGS`), `feedback.py` words them, `sandbox.py` runs a file under time and memory limits.

    >>> from barenet.exercises import check
    >>> def relu_forward(z): ...
    >>> def relu_backward(z, grad_a): ...
    >>> result = check("relu", relu_forward, relu_backward)   # prints the feedback
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path

from barenet.exercises.exercise import (
    Exercise,
    ExerciseError,
    hint_text,
    solution_source,
    speaking,
    starter_source,
)
from barenet.exercises.registry import EXERCISES, get
from barenet.exercises.result import CheckResult
from barenet.i18n import _

__all__ = ["EXERCISES", "CheckResult", "Exercise", "ExerciseError", "check", "check_file", "get",
           "hint", "solution", "starter"]


def starter(exercise_id: str, lang: str | None = None) -> str:
    """The source of the starter file ID.py, in `lang` (None: the language in use)."""
    return starter_source(get(exercise_id), lang)


def solution(exercise_id: str, lang: str | None = None) -> str:
    """The source of the reference solution (a file that passes `barenet check`)."""
    return solution_source(get(exercise_id), lang)


def hint(exercise_id: str, level: int = 1, lang: str | None = None) -> str:
    """Hint `level`: 1 the idea, 2 the formula with the shapes, 3 the shape of the code."""
    return hint_text(get(exercise_id), int(level), lang)


def check_file(exercise_id: str, path: str | Path, lang: str | None = None, *, seed: int = 0
               ) -> CheckResult:
    """Check the learner's file in a separate process with time and memory limits.

    Raises ExerciseError for an unknown id, a missing file or a file that lacks a function.
    """
    from barenet.exercises.sandbox import run_file

    exercise = get(exercise_id)
    with speaking(lang):
        return run_file(exercise, Path(path), seed=seed)


def check(exercise_id: str, *functions: Callable, lang: str | None = None, seed: int = 0,
          quiet: bool = False) -> CheckResult:
    """Check functions defined in this process (a notebook), print the feedback, return the result.

    The functions are matched by name (`relu_forward`, …), else by position; with none given, they
    are looked up by name among the caller's globals. A starter's functions (raising
    NotImplementedError) give "not implemented yet" and raise nothing.
    """
    from barenet.exercises.checker import run_checks
    from barenet.exercises.feedback import message

    exercise = get(exercise_id)
    with speaking(lang):
        chosen = match_functions(exercise, functions, inspect.currentframe().f_back.f_globals)
        finding = run_checks(exercise, chosen, seed=seed)
        result = CheckResult(exercise.id, finding.tag is None, finding.tag, message(finding),
                             tuple(finding.not_implemented))
    if not quiet:
        print(result.message)
    return result


def match_functions(exercise: Exercise, functions: tuple, caller: dict) -> dict[str, Callable]:
    """name -> callable for each function of the exercise: by name, by position, or the caller's."""
    by_name = {getattr(f, "__name__", None): f for f in functions}
    chosen = {}
    for position, name in enumerate(exercise.functions):
        if name in by_name:
            chosen[name] = by_name[name]
        elif not functions and callable(caller.get(name)):
            chosen[name] = caller[name]
        elif position < len(functions) and callable(functions[position]):
            chosen[name] = functions[position]
        else:
            raise ExerciseError(_("{id} needs {functions}; {name} is missing: pass it to check() or "
                                  "define it first").format(id=exercise.id,
                                                            functions=_(", ").join(exercise.functions),
                                                            name=name))
    return chosen
