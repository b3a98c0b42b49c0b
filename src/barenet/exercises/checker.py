"""The checker: a learner's functions against the reference on an exercise's cases, and the diagnosis.

    run_checks(exercise, functions, seed=0) -> Finding

For each function, in the exercise's order, every case is called (hand-made tiny ones first, then
random ones, N = 1, and the edge cases); the first case that fails is diagnosed and ends the check:

    the call failed              exception (not implemented yet, out of memory, sys.exit) / timeout
    an argument changed          modified_input
    a warning or inf/nan where the stable form is finite (edge cases)   overflow
    the answer has the wrong kind or length                             shape
    a part differs               the exercise's mutated references (transposed, wrong_axis, …),
                                 then the generic ones (transposed, sign, scale), then shape,
                                 then wrong_value

A function whose every case passes is timed against the reference on a larger case; one that is
much slower (a loop over samples) passes with a note.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from barenet.exercises import compare
from barenet.exercises.calls import Call, Printed, call
from barenet.exercises.cases import Case, Function, Malformed, Mistake

#: Seconds a single call may take before it is the `timeout` mistake.
CALL_LIMIT = 2.0
#: A correct function this many times slower than the reference gets the slow-loop note.
SLOW = 5.0


@dataclass
class Finding:
    """The outcome of a check: tag None when everything passed (see feedback.py for the text)."""

    exercise: Any
    tag: str | None = None
    function: str | None = None
    case: Case | None = None
    part: str | None = None
    expected: Any = None
    received: Any = None
    why: str = ""
    read: str | None = None
    detail: str = ""
    factor: float | None = None
    passed: list[str] = field(default_factory=list)
    not_implemented: list[str] = field(default_factory=list)
    slow: list[tuple[str, float, float]] = field(default_factory=list)  # (function, theirs, ours)
    printed: Printed = field(default_factory=Printed)
    rtol: float = 1e-6
    floor: float = 1e-9
    scale: float = 0.0
    step: bool = False  # the part is judged by its change (an optimiser's w)


def as_float64(value: Any) -> Any:
    """A float64 copy of a float array (and of the arrays in a dict); anything else copied."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return value.astype(np.float64)
    if isinstance(value, dict):
        return {key: as_float64(item) for key, item in value.items()}
    return copy.deepcopy(value)


def changed(before: Any, after: Any, loose: bool = False) -> bool:
    """Whether an argument was changed in place (`loose`: beyond rounding)."""
    if isinstance(before, dict):
        return any(changed(before[k], after.get(k) if isinstance(after, dict) else None, loose)
                   for k in before)
    if not isinstance(before, np.ndarray):
        return False
    if not isinstance(after, np.ndarray) or after.shape != before.shape:
        return True
    if loose:
        return not np.allclose(after, before, rtol=1e-10, atol=1e-12, equal_nan=True)
    return not np.array_equal(after, before, equal_nan=True)


def modified_argument(case: Case, spec: Function, before: tuple, after: tuple) -> str | None:
    """The name of the first argument the call changed and was not allowed to."""
    for position, (old, new) in enumerate(zip(before, after, strict=True)):
        if position in spec.may_change:
            continue
        if changed(old, new, loose=position in spec.restores):
            return case.names[position] if position < len(case.names) else f"#{position + 1}"
    return None


def run_checks(exercise: Any, functions: dict[str, Callable], seed: int = 0,
               progress: Callable[[str, str], None] | None = None,
               printed: Printed | None = None) -> Finding:
    """Check the learner's `functions` (name -> callable) of `exercise`; the first mistake, or a pass."""
    finding = Finding(exercise, printed=printed or Printed())
    cases = exercise.module.cases(np.random.default_rng(seed))
    for spec in exercise.specs:
        mistake = None
        for case in (c for c in cases if c.function == spec.name):
            if progress:
                progress(spec.name, case.label)
            mistake = check_case(exercise, spec, functions[spec.name], case, finding)
            if mistake is not None:
                break
        if mistake == "not_implemented":
            finding.not_implemented.append(spec.name)
        elif mistake is not None:
            if mistake.tag == "wrong_value" and mistake.factor is not None:
                same_factor_elsewhere(exercise, spec, functions[spec.name], cases, mistake)
            return mistake
        else:
            finding.passed.append(spec.name)
            time_against_reference(exercise, spec, functions[spec.name], seed, finding)
    if finding.not_implemented:
        finding.tag, finding.why = "exception", "not_implemented"
    return finding


def check_case(exercise: Any, spec: Function, function: Callable, case: Case, finding: Finding):
    """None when `case` passes, "not_implemented", or the Finding that ends the check."""
    before = tuple(copy.deepcopy(case.args))
    args = tuple(copy.deepcopy(case.args))
    outcome = call(function, args, CALL_LIMIT, finding.printed)
    if outcome.failure == "not_implemented":
        return "not_implemented"
    found = Finding(exercise, function=spec.name, case=case, passed=finding.passed,
                    not_implemented=finding.not_implemented, printed=finding.printed)
    if outcome.failure:
        return failed_call(found, outcome)
    name = modified_argument(case, spec, before, args)
    if name is not None:
        found.tag, found.part = "modified_input", name
        return found
    if case.stable and not case.warnings_ok and outcome.warnings:
        found.tag, found.detail = "overflow", outcome.warnings[0]
        return found
    expected = case.expected if case.expected is not None else \
        spec.reference(*(as_float64(a) for a in before))
    judge = getattr(exercise.module, "judge", None)
    if judge is not None:
        verdict = judge(case, outcome.value, expected)
        if verdict is None:
            return None
        found.tag, found.why, found.detail = verdict
        return found
    return compare_parts(exercise, spec, case, before, outcome.value, expected, found)


def same_factor_elsewhere(exercise, spec: Function, function: Callable, cases: list[Case],
                          found: Finding) -> None:
    """A float off by a factor with no name is a `scale` if another case is off by the same one
    (a true constant factor does not depend on the inputs; a wrong formula's ratio moves)."""
    for case in cases:
        if case.function != spec.name or case is found.case or case.finite_only or case.stable:
            continue
        outcome = call(function, tuple(copy.deepcopy(case.args)), CALL_LIMIT, found.printed)
        expected = case.expected if case.expected is not None else \
            spec.reference(*(as_float64(a) for a in case.args))
        try:
            theirs, ours = spec.outputs.split(outcome.value), spec.outputs.split(expected)
        except Malformed:
            return
        r, e = theirs.get(found.part), ours.get(found.part)
        if outcome.failure or r is None or not np.isfinite(r) or not e:
            return
        if abs(float(r) / float(e) / found.factor - 1.0) < 1e-5:
            found.tag = "scale"
        return


def failed_call(found: Finding, outcome: Call) -> Finding:
    found.tag = "timeout" if outcome.failure == "timeout" else "exception"
    found.detail = outcome.detail or f"{CALL_LIMIT:g}"
    found.why = outcome.failure  # "exception", "memory", "exit" or "timeout": feedback words it
    return found


def compare_parts(exercise, spec: Function, case: Case, before: tuple, answer, expected, found):
    """None when every part of `answer` is within tolerance, else the diagnosed Finding."""
    try:
        theirs = spec.outputs.split(answer)
    except Malformed as exc:
        found.tag, found.detail = "shape", str(exc)
        return found
    ours = spec.outputs.split(expected)
    start = {part: np.asarray(before[position], dtype=np.float64) for part, position in spec.deltas.items()}
    raw = theirs
    theirs = {part: value - start[part] if part in start else value for part, value in theirs.items()}
    ours = {part: value - start[part] if part in start else value for part, value in ours.items()}
    for part, e in ours.items():
        r = theirs[part]
        rtol, floor = compare.tolerance_for(raw[part], case.rtol, case.floor, case.args)
        scale = case.scale
        if part in start:  # a step: w's own rounding (≈ eps · |w|) must not count against it
            scale = max(scale, 1e-3 * float(np.max(np.abs(start[part]), initial=0.0)))
        finite = bool(np.all(np.isfinite(r)))
        if case.finite_only or part in case.finite_parts:
            if finite:
                continue
            found.tag, found.part, found.received = "overflow", part, r
            return found
        if compare.close(r, e, rtol, floor, scale):
            continue
        found.part, found.expected, found.received, found.rtol, found.floor = part, e, r, rtol, floor
        found.scale, found.step = scale, part in start
        recognise = getattr(exercise.module, "recognise", None)
        known = recognise(case, tuple(as_float64(a) for a in before), part, r) if recognise else None
        if known is not None:
            found.tag, found.why = known
            return found
        if case.stable and not finite:
            found.tag = "overflow"
            return found
        try:
            mistakes = exercise.module.mistakes(case, tuple(as_float64(a) for a in before), expected,
                                                theirs)
        except Exception:  # a mutant that cannot be formed for this answer explains nothing
            mistakes = []
        for mistake in mistakes:
            mistake.values = {p: v - start[p] if p in start and v is not None else v
                              for p, v in mistake.values.items()}
        return diagnose(found, case, part, r, e, rtol, floor, mistakes, scale)
    return None


def diagnose(found: Finding, case: Case, part: str, r, e, rtol: float, floor: float,
             mistakes: list[Mistake], scale: float = 0.0) -> Finding:
    """The tag of the first mistake whose answer `r` is; generic ones after; wrong_value last."""
    if named(found, part, r, e, rtol, floor, [m for m in mistakes if not m.fallback], scale):
        return found
    if compare.transposed(r, e, rtol, floor):
        found.tag = "transposed"
        return found
    c = compare.factor(r, e, rtol, floor)
    if c is not None and np.ndim(e) == 0 and abs(c + 1.0) > 1e-6 and \
            compare.name_factor(c, case.constants) is None:
        found.factor = c  # run_checks calls it a scale if another case shows the same factor
        c = None  # a float is always some multiple of another: only a factor with a name is a `scale`
    if c is not None:
        found.tag, found.factor = ("sign", c) if abs(c + 1.0) < 1e-6 else ("scale", c)
        return found
    if named(found, part, r, e, rtol, floor, [m for m in mistakes if m.fallback], scale):
        found.factor = None
        return found
    found.tag = "shape" if np.shape(r) != np.shape(e) else "wrong_value"
    return found


def named(found: Finding, part: str, r, e, rtol: float, floor: float, mistakes: list[Mistake],
          scale: float) -> bool:
    """Whether `r` is one of the `mistakes`' answers (then `found` carries its tag and why)."""
    for mistake in mistakes:
        if part in mistake.values and mistake.by_shape:
            if np.shape(r) != np.shape(e) and np.shape(r) == np.shape(mistake.values[part]):
                found.tag, found.why, found.read = mistake.tag, mistake.why, mistake.read
                return True
        elif part in mistake.values:
            value = mistake.values[part]
            tol = (mistake.rtol, min(floor, mistake.rtol)) if mistake.rtol else (rtol, floor)
            if np.shape(value) == np.shape(r) and compare.close(r, value, *tol, scale):
                found.tag, found.why, found.read = mistake.tag, mistake.why, mistake.read
                return True
    return False


def time_against_reference(exercise, spec: Function, function: Callable, seed: int,
                           finding: Finding) -> None:
    """Note a correct function that is SLOW times slower than the reference on a larger case."""
    make = getattr(exercise.module, "timing_case", None)
    case = make(spec.name, np.random.default_rng(seed)) if make and spec.timing else None
    if case is None:
        return
    ours = min(call(spec.reference, copy.deepcopy(case.args), CALL_LIMIT, Printed()).seconds
               for _attempt in range(5))
    theirs = float("inf")
    for _attempt in range(3):
        outcome = call(function, copy.deepcopy(case.args), CALL_LIMIT, finding.printed)
        if outcome.failure:
            return
        theirs = min(theirs, outcome.seconds)
        if theirs < SLOW * ours or theirs > 4 * SLOW * ours:  # clearly fast, or clearly slow
            break
    if theirs >= SLOW * ours:
        finding.slow.append((spec.name, theirs, ours))
