"""The feedback text of a check, in the learner's language: what passed, what failed and why.

A failed check says which function and case, prints a tiny case's inputs, the expected and the
received value at the first element that differs (and the shapes), the mistake by its tag, why it
is wrong (the formula, one line), where to read (chapter, docs/math.md section) and which hint to
ask for. Its last line is the verdict.
"""

from __future__ import annotations

import re

import numpy as np

from barenet.exercises import compare
from barenet.exercises.checker import Finding
from barenet.exercises.exercise import sections
from barenet.i18n import _

#: The docs/math.md section a mistake is explained in, when the exercise's own is not the place.
TAG_READ = {"overflow": ("9",), "forward_difference": ("10",), "no_bias_correction": ("8",),
            "batch_statistics_ignored": ("13",), "transposed": ("1", "2"), "not_shuffled": ("11",),
            "dropped_last": ("11",), "repeated_samples": ("11",)}
PRINTED_LINES = 12


def tag_meaning(tag: str) -> str:
    """What each tag means, in one line."""
    meanings = {
        "shape": _("the answer has the wrong shape, type or length"),
        "transposed": _("the right values, transposed"),
        "scale": _("off by a constant factor"),
        "sign": _("the negative of the right answer"),
        "wrong_axis": _("reduced or normalised over the wrong axis"),
        "wrong_input": _("a derivative evaluated at the wrong quantity"),
        "missing_derivative": _("a factor of the chain rule is missing"),
        "overflow": _("inf, nan or an overflow warning for large inputs"),
        "modified_input": _("an argument was changed in place"),
        "forward_difference": _("a one-sided difference where a central one was asked"),
        "no_bias_correction": _("Adam without its bias correction"),
        "not_shuffled": _("the mini-batches are not shuffled"),
        "dropped_last": _("the last, smaller mini-batch is missing"),
        "repeated_samples": _("a sample appears twice in one epoch"),
        "batch_statistics_ignored": _("the batch mean and variance treated as constants"),
        "exception": _("the function raised an exception"),
        "timeout": _("the function did not return in time"),
        "wrong_value": _("wrong values, not a mistake the checker recognises"),
    }
    return meanings[tag]


def generic_why(finding: Finding) -> str:
    """The one-line reason of a tag found without an exercise's own explanation."""
    tag = finding.tag
    if tag == "transposed":
        return transposed_why(finding)
    if tag in ("scale", "sign") and finding.factor is not None:
        named = compare.name_factor(finding.factor, finding.case.constants if finding.case else {})
        if tag == "sign":
            return _("every value has the opposite sign: a flipped subtraction (y − p for p − y, "
                     "f(x − ε) − f(x + ε)) or a step up the gradient instead of down")
        return _("your values are {c:.6g} times the right ones{named}: a missing or extra 1/N, ½, 2 "
                 "or 2ε?").format(c=finding.factor, named=f" (= {named})" if named and not
                                  named.replace("/", "").isdigit() else "")
    if tag == "overflow" and hasattr(finding.exercise.module, "overflow_why"):
        return finding.exercise.module.overflow_why()
    if tag == "shape" and finding.expected is not None:
        return _("{part} must have shape {shape}; a (1, n) or (n, 1) where (n,) belongs comes from "
                 "keepdims=True or a column vector").format(part=finding.part,
                                                           shape=np.shape(finding.expected))
    if tag == "overflow":
        return _("large inputs must give finite results without warnings: exponentiate only numbers "
                 "≤ 0 (subtract the row's maximum; the two-branch sigmoid) and never take log 0")
    if tag == "modified_input":
        return modified_why(finding)
    return ""


def transposed_why(finding: Finding) -> str:
    """Why a transposed answer is wrong, in the terms of the exercise's own arrays."""
    names = finding.case.names if finding.case else ()
    if "W" in names or "params" in names:
        return _("in rows, x: (N, n_in) and W: (n_in, n_out): dW = xᵀ δ has W's shape, dx = δ Wᵀ has "
                 "x's shape; a column-vector formula must be transposed back")
    given = names[0] if names else "x"
    return _("{part} must have the shape {shape} of {given}, one row per sample; you returned its "
             "transpose: a formula written for column vectors (one sample per column) must be "
             "transposed back").format(part=finding.part, given=given,
                                       shape=np.shape(finding.expected))


def modified_why(finding: Finding) -> str:
    """How to avoid changing an argument, for what this function may and may not do."""
    spec = next((s for s in finding.exercise.specs if s.name == finding.function), None)
    if spec is not None and spec.restores:
        return _("{function} may change “{name}” while it works (x[i] += eps), but must leave it as "
                 "it found it: keep the old value and put it back after the two calls to f "
                 "(x[i] = old), or shift a copy of x").format(function=spec.name, name=finding.part)
    if spec is not None and spec.may_change:
        return _("“{name}” was changed in place: an optimiser may update w and its state (v, m) in "
                 "place, and return them, but never the gradient g, which belongs to the caller: compute "
                 "lr * g into a new array instead of g *= lr or g += …").format(name=finding.part)
    return _("“{name}” was changed in place: compute into a new array (np.maximum(z, 0), "
             "x - m) instead of writing into the arguments (z[z < 0] = 0, x -= m)").format(
                 name=finding.part)


def failure_lines(finding: Finding) -> list[str]:
    """Why a call failed: the learner's traceback, or what ran out."""
    kind, detail = finding.why, finding.detail
    if kind == "timeout":
        return [_("it did not return within {seconds} s: an endless loop?").format(seconds=detail)]
    if kind == "memory":
        return [_("it asked for more memory than the checker allows: an array far larger than the "
                  "inputs?"), *indent(detail)]
    if kind == "exit":
        return [_("it called sys.exit({code}): a function returns its answer, it never ends the "
                  "program").format(code=detail)]
    if kind == "killed":
        return [detail]
    lines = [_("it raised an exception; your code's part of the traceback:"), *indent(detail)]
    if "could not be broadcast" in detail:
        lines.append(_("(a sum or a maximum over an axis without keepdims=True, or a transposed "
                       "matrix?)"))
    return lines


def case_label(label: str) -> str:
    """A case's label in the learner's language (labels are short phrases and formulas)."""
    phrases = [("tiny", _("tiny")), ("random", _("random")), ("first step", _("first step")),
               ("default lr", _("default lr")), ("default eps", _("default eps")),
               ("p = 0 for wrong classes", _("p = 0 for wrong classes")),
               ("scores up to ±1000", _("scores up to ±1000")), ("|z| up to 1000", _("|z| up to 1000")),
               ("a vector", _("a vector")), ("x of shape", _("x of shape")), ("from", _("from")),
               (" to ", _(" to "))]
    for english, translated in phrases:
        label = label.replace(english, translated)
    return label


def warning_text(warning: str) -> str:
    """NumPy's "RuntimeWarning: overflow encountered in exp", in the learner's language."""
    found = re.match(r"(\w+): (overflow|invalid value|divide by zero) encountered in (\w+)", warning)
    if not found:
        return warning
    kinds = {"overflow": _("an overflow"), "invalid value": _("an invalid value (nan)"),
             "divide by zero": _("a division by zero")}
    return _("{category}: {kind} in {function}").format(category=found.group(1),
                                                        kind=kinds[found.group(2)],
                                                        function=found.group(3))


def indent(text: str, prefix: str = "    ") -> list[str]:
    return [prefix + line for line in text.splitlines()]


def show(value, column: int = 16) -> str:
    """A value of a printed case; an array's later rows start at `column`, under its first."""
    if isinstance(value, np.ndarray) and value.size > 40:
        return _("an array of shape {shape}").format(shape=value.shape)
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=4, suppress_small=False, max_line_width=90,
                               threshold=40).replace("\n", "\n" + " " * column)
    if callable(value):
        return getattr(value, "__doc__", None) or repr(value)
    return repr(value)


def case_lines(finding: Finding) -> list[str]:
    case = finding.case
    if case is None:
        return [_("✗ {function}:").format(function=finding.function)]
    lines = [_("✗ {function}, case “{case}”:").format(function=finding.function,
                                                        case=case_label(case.label))]
    if case.printable:
        named = []
        for name, value in zip(case.names, case.args, strict=False):
            items = value.items() if isinstance(value, dict) else [(None, value)]
            named += [(name if key is None else f"{name}['{key}']", item) for key, item in items]
        width = max(9, *(len(name) for name, _value in named))
        for name, value in named:
            lines.append(f"    {name:<{width}} = {show(value, width + 7)}")
    return lines


def difference_lines(finding: Finding) -> list[str]:
    e, r, part = finding.expected, finding.received, finding.part
    if e is None or r is None:
        return []
    if np.ndim(e) == 0 and np.ndim(r) == 0:
        return [_("  expected {part} = {e:.8g}, received {r:.8g}").format(part=part, e=float(e),
                                                                          r=float(r))]
    if np.shape(e) != np.shape(r):
        return [_("  expected {part} of shape {expected}, received shape {received}").format(
            part=part, expected=np.shape(e), received=np.shape(r))]
    where = compare.first_difference(r, e, finding.rtol, finding.floor, finding.scale)
    index = "[" + ", ".join(str(i) for i in where.index) + "]" if where.index else ""
    if finding.step:
        part = f"Δ{part}"
        note = [_("  (Δ{part}: how much {part} moves in this step, new {part} − {part})").format(
            part=finding.part)]
    else:
        note = []
    return [*note, _("  expected {part}{index} = {e:.8g}, received {r:.8g} (shape {shape})").format(
        part=part, index=index, e=where.expected, r=where.received, shape=np.shape(e))]


def mistake_lines(finding: Finding) -> list[str]:
    exercise, tag = finding.exercise, finding.tag
    lines = []
    if tag in ("exception", "timeout"):
        lines += ["  " + line for line in failure_lines(finding)]
    elif tag == "overflow" and finding.detail:
        lines.append("  " + _("warning: {warning}").format(warning=warning_text(finding.detail)))
    elif finding.detail:
        lines.append("  " + finding.detail)
    if tag not in ("exception", "timeout"):
        why = finding.why or generic_why(finding)
        meaning = _("wrong values") if tag == "wrong_value" and finding.why else tag_meaning(tag)
        if why:
            lines.append(_("  Mistake “{tag}” ({meaning}): {why}").format(tag=tag, meaning=meaning, why=why))
        else:
            lines.append(_("  Mistake “{tag}” ({meaning})").format(tag=tag, meaning=tag_meaning(tag)))
    read = finding.read.split(",") if finding.read else TAG_READ.get(tag, exercise.read)
    lines.append(_("  Read: chapter {chapter}, docs/math.md {sections}.").format(
        chapter=exercise.chapter, sections=sections(tuple(s.strip() for s in read))))
    return lines


def printed_lines(finding: Finding) -> list[str]:
    printed = finding.printed
    if not printed.size:
        return []
    shown = printed.text().splitlines()[:PRINTED_LINES]
    if printed.capped:
        lines = [_("Your code printed at least {n:,} lines; the first ones:").format(n=printed.lines)]
    elif printed.lines <= 1:
        lines = [_("Your code printed one line:")]
    else:
        lines = [_("Your code printed {n:,} lines; the first ones:").format(n=printed.lines)]
    return lines + ["  | " + line[:200] for line in shown]


def message(finding: Finding) -> str:
    """The whole feedback text; its last line is the verdict."""
    exercise = finding.exercise
    lines = [_("{id}: {title}").format(id=exercise.id, title=exercise.title())]
    lines += [_("✓ {function}").format(function=name) for name in finding.passed]
    for name, theirs, ours in finding.slow:
        lines.append(_("  {function} is right, but {ratio:.0f}× slower than the vectorised form "
                       "({theirs:.3g} s against {ours:.2g} s on a larger batch): a Python loop over "
                       "the samples? Chapter 5 shows why one array operation over the whole batch "
                       "is faster.").format(function=name, ratio=theirs / max(ours, 1e-9),
                                            theirs=theirs, ours=ours))
    for name in finding.not_implemented:
        lines.append(_("… {function}: not implemented yet (it raises NotImplementedError)").format(
            function=name))
    if finding.why == "load":
        lines.append(_("✗ your file could not be loaded:"))
        lines += indent(finding.detail)
    elif finding.why == "load_timeout":
        lines.append(_("✗ your file did not finish loading within {seconds} s: the code at the top "
                       "level of the file (outside the functions) runs when it is loaded — an "
                       "endless loop there? Put a script's code under "
                       "if __name__ == \"__main__\": or delete it.").format(seconds=finding.detail))
    elif finding.tag is not None and finding.function is not None:
        lines += case_lines(finding) + difference_lines(finding) + mistake_lines(finding)
    if finding.tag is not None:
        lines.append(_("  Stuck? barenet hint {id} --level 1 (level 2: the formula with the shapes, "
                       "3: the shape of the code).").format(id=exercise.id))
    lines += printed_lines(finding)
    lines.append(verdict(finding))
    return "\n".join(lines)


def verdict(finding: Finding) -> str:
    exercise = finding.exercise
    if finding.tag is None:
        return _("{id}: passed ✓").format(id=exercise.id)
    if finding.function is None and finding.not_implemented:
        return _("{id}: not implemented yet: write {functions}").format(
            id=exercise.id, functions=_(", ").join(finding.not_implemented))
    return _("{id}: not passed: {tag}").format(id=exercise.id, tag=finding.tag)
