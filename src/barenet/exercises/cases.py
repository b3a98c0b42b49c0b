"""What a check is made of: the cases a learner's function is called on, and the mistakes it may show.

    Case      one call: the learner's function, its arguments, how its answer is judged
    Mistake   a classic mistake: its tag, why it is wrong (one line, the formula), and the answer
              that mistake gives on a case (a "mutated reference"), part by part
    Outputs   what a function returns (an array, a float, a tuple, a loss and a dict of gradients),
              and how an answer is cut into named parts that are compared one by one

Every exercise module builds its cases from a seeded Generator (`cases(rng)`) and, when a case
fails, the mistakes that could explain it (`mistakes(case, expected)`).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from barenet.i18n import _

#: The tags of the mistakes the checker recognises, in the order the issue's table lists them.
TAGS = ("shape", "transposed", "scale", "sign", "wrong_axis", "wrong_input", "missing_derivative",
        "overflow", "modified_input", "forward_difference", "no_bias_correction", "not_shuffled",
        "dropped_last", "repeated_samples", "batch_statistics_ignored", "exception", "timeout",
        "wrong_value")


class Malformed(Exception):
    """An answer of the wrong kind or length (None, a list where an array belongs, …): `shape`."""


@dataclass
class Case:
    """One call of a learner's function.

    function: its name; label: how the feedback names the case ("tiny", "random, N = 5, C = 3");
    args: the positional arguments (copied afresh for every call); printable: small enough that
    the feedback prints the inputs; stable: an edge case where any overflow, division by zero or
    invalid-value warning, inf or nan is the `overflow` mistake (warnings_ok: inf or nan only);
    finite_only: only finiteness is
    judged (cross-entropy at p = 0, where each guard gives another number); expected: the right
    answer when it is not the reference's (the exact gradient for numerical_gradient); rtol,
    floor: tolerances that replace those of the dtype; constants: the sizes a wrong factor may be
    made of (N, C, …), for the `scale` diagnosis.
    """

    function: str
    label: str
    args: tuple
    printable: bool = False
    stable: bool = False
    warnings_ok: bool = False
    finite_only: bool = False
    finite_parts: tuple[str, ...] = ()  # parts judged by finiteness alone (a guarded loss at ±1000)
    expected: Any = None
    rtol: float | None = None
    floor: float | None = None
    constants: dict[str, float] = field(default_factory=dict)
    scale: float = 0.0  # the size the floor is a fraction of, when larger than max|expected|
    names: tuple[str, ...] = ()  # the arguments' names, for printing them


@dataclass
class Mistake:
    """A classic mistake: `values` maps part names to what that mistake returns for the case."""

    tag: str
    why: str
    values: dict[str, Any]
    read: str | None = None  # "§8" of docs/math.md, when not the exercise's own section
    rtol: float | None = None  # matching tolerance, when tighter than the case's
    by_shape: bool = False  # matched by a wrong shape alone (a sum over the other axis: (N,) for (k,))
    fallback: bool = False  # tried after the generic transposed / sign / scale (substitutions)


def substitutions(part: str, formula: Callable[..., Any], text: str, slots: dict[str, str],
                  pool: dict[str, Any]) -> list[Mistake]:
    """`wrong_input` mistakes found by substitution: the reference `formula` (keyword arguments
    `slots`, each slot -> the name in `pool` of the array that belongs there) computed with another
    array of the pool, of the same shape, in one slot or in every slot of the same name.

    sigmoid's grad_z = g ⊙ s₁ (1 − s₂) with slots g: grad_a, s₁, s₂: σ(z) and pool {z, grad_a, σ(z)}
    names σ′ evaluated at z (s₁ = s₂ = z), (1 − z) in one factor, grad_a and z swapped, …
    """
    right = {slot: pool[name] for slot, name in slots.items()}
    groups = [(slot,) for slot in slots]
    groups += [shared for name in dict.fromkeys(slots.values())
               if len(shared := tuple(s for s in slots if slots[s] == name)) > 1]
    found = []
    for group in groups:
        belongs = slots[group[0]]
        for name, value in pool.items():
            if name == belongs or np.shape(value) != np.shape(pool[belongs]):
                continue
            with np.errstate(all="ignore"):
                result = formula(**{**right, **dict.fromkeys(group, value)})
            found.append(Mistake("wrong_input", _("{formula}: {wrong} is where {right} belongs").format(
                formula=text, wrong=name, right=belongs), {part: result}, fallback=True))
    return found


# ---- what a function returns ------------------------------------------------------------------


def kind_of(value: Any) -> str:
    """How the feedback names what was returned: "None", "an array of shape (3,)", "a list of 2"."""
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return _("an array of shape {shape}").format(shape=value.shape)
    if isinstance(value, (list, tuple)):
        return _("a {type} of {n}").format(type=type(value).__name__, n=len(value))
    return _("a value of type {type}").format(type=type(value).__name__)


def as_array(value: Any, name: str) -> np.ndarray:
    """The answer if it is a NumPy array (a NumPy scalar counts as a 0-d one); Malformed otherwise
    (a list, a Python number, None)."""
    if isinstance(value, np.generic):
        value = np.asarray(value)
    if isinstance(value, np.ndarray) and value.dtype.kind in "fiub":
        return value
    raise Malformed(_("{name}: {kind} where an array belongs").format(name=name, kind=kind_of(value)))


def as_float(value: Any, name: str) -> float:
    """A float, a NumPy scalar, a 0-d or a 1-element array -> float; Malformed otherwise."""
    if isinstance(value, bool) or value is None:
        raise Malformed(_("{name}: {kind} where a float belongs").format(name=name, kind=kind_of(value)))
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "fiu":
        return float(value.reshape(()))
    raise Malformed(_("{name}: {kind} where a float belongs").format(name=name, kind=kind_of(value)))


@dataclass(frozen=True)
class Outputs:
    """How a function's answer is cut into named parts: [(name, "array" | "float"), …].

    `dict_part` names a part that is a dict of arrays (two_layer_net's grads): its keys become
    parts of their own, `grads['W1']`, in `dict_keys` order.
    """

    parts: tuple[tuple[str, str], ...]
    dict_part: str | None = None
    dict_keys: tuple[str, ...] = ()

    def split(self, answer: Any) -> dict[str, Any]:
        """The answer's parts by name, each an array or a float; Malformed when it does not fit."""
        if len(self.parts) == 1:
            values = [answer]
        else:
            names = ", ".join(name for name, _kind in self.parts)
            if not isinstance(answer, (tuple, list)) or len(answer) != len(self.parts):
                raise Malformed(_("{kind} where a tuple of {n} belongs ({names})").format(
                    kind=kind_of(answer), n=len(self.parts), names=names))
            values = list(answer)
        found: dict[str, Any] = {}
        for (name, kind), value in zip(self.parts, values, strict=True):
            if name == self.dict_part:
                found.update(self.split_dict(name, value))
            else:
                found[name] = as_float(value, name) if kind == "float" else as_array(value, name)
        return found

    def split_dict(self, name: str, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise Malformed(_("{name}: {kind} where a dict belongs").format(name=name, kind=kind_of(value)))
        missing = [key for key in self.dict_keys if key not in value]
        if missing:
            raise Malformed(_("{name} has no key {keys}").format(
                name=name, keys=_(", ").join(repr(k) for k in missing)))
        return {f"{name}['{key}']": as_array(value[key], f"{name}['{key}']") for key in self.dict_keys}


def a_float(name: str) -> Outputs:
    return Outputs(((name, "float"),))


def tuple_of(*names: str) -> Outputs:
    return Outputs(tuple((name, "array") for name in names))


@dataclass(frozen=True)
class Function:
    """A function the learner writes: its reference (float64) and what it returns.

    may_change: arguments it may update in place (an optimiser's w, m, v), by position;
    restores: arguments it may change while it works if it leaves them as it found them
    (to rounding), by position; timing: whether the slow-loop note applies; deltas: parts judged
    by their change from an argument (an optimiser's new w against w: the step, not w itself,
    so that a wrong step is not hidden in w's own size).
    """

    name: str
    reference: Callable
    outputs: Outputs = Outputs((("result", "array"),))
    may_change: tuple[int, ...] = ()
    restores: tuple[int, ...] = ()
    timing: bool = True
    deltas: dict[str, int] = field(default_factory=dict)  # part -> argument: judge the step
