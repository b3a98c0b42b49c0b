"""The exercise checker against a corpus of learners' solutions (issue 19).

tests/exercise_corpus/<exercise id>/<expect>_<n>.py is a learner's file for that exercise. Its
header says what the checker must answer and why:

    # expect: pass                      (a correct solution, in some style of its own)
    # expect: <tag>                     (a mistake: one of the tags of `barenet check --json`)
    # why: <the mistake, one line>

Every correct file must pass, every wrong one must fail (no false alarm, no mistake let through),
and the tag must name the mistake for at least 90 % of the wrong ones. The files are data, written
the way learners write (syntax errors, infinite loops and a 50 GB allocation included); ruff skips
them (tests/exercise_corpus/ruff.toml).

The whole corpus runs one process per file (about a second each, a time limit for the loops), so
it is marked slow, as is the run of the correct files with other seeds of the checker's random
cases; QUICK, a few files of different kinds, runs in every test run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "exercise_corpus"

EXERCISES = (
    "relu", "sigmoid", "softmax", "cross_entropy", "softmax_cross_entropy_backward", "mse", "dense",
    "numerical_gradient", "sgd_momentum", "adam", "minibatches", "two_layer_net", "batchnorm",
)
TAGS = (
    "shape", "transposed", "scale", "sign", "wrong_axis", "wrong_input", "missing_derivative",
    "overflow", "modified_input", "forward_difference", "no_bias_correction", "not_shuffled",
    "dropped_last", "repeated_samples", "batch_statistics_ignored", "exception", "timeout",
    "wrong_value",
)
MIN_CORRECT, MIN_WRONG = 3, 8
MIN_TAG_ACCURACY = 0.90
OTHER_SEEDS = (1, 2)  # the checker's random cases drawn again: a false alarm must not hide in seed 0

# A few files of different kinds, checked in every run (the rest is slow).
QUICK = (
    "relu/pass_1.py", "relu/modified_input_1.py", "softmax/pass_4.py", "softmax/overflow_2.py",
    "dense/transposed_1.py", "adam/pass_3.py", "adam/no_bias_correction_1.py",
    "minibatches/pass_2.py", "minibatches/dropped_last_1.py", "batchnorm/batch_statistics_ignored_1.py",
)

_HEADER = re.compile(r"# expect: (?P<expect>\S+)\n# why: (?P<why>\S.*)\n")


@dataclass(frozen=True)
class Entry:
    """One corpus file: its exercise, what the checker must say (None: pass) and why."""

    path: Path
    exercise: str
    expected: str | None
    why: str

    @property
    def name(self) -> str:
        return self.path.relative_to(CORPUS).as_posix()


def _read_entry(path: Path) -> Entry:
    text = path.read_text(encoding="utf-8")
    match = _HEADER.match(text)
    assert match, f"{path}: must start with '# expect: ...' and '# why: ...'"
    expect = match["expect"]
    return Entry(path, path.parent.name, None if expect == "pass" else expect, match["why"])


ENTRIES = tuple(_read_entry(p) for p in sorted(CORPUS.glob("*/*.py")))


@cache
def _check(entry: Entry):
    """The checker's answer for one corpus file (cached: the accuracy test reuses it)."""
    from barenet.exercises import check_file

    return check_file(entry.exercise, entry.path)


def _verdict(entry: Entry, result) -> str | None:
    """None when the checker's pass/fail agrees with the file's header, else what went wrong."""
    if entry.expected is None and not result.passed:
        return f"{entry.name}: correct, but the checker says {result.mistake}: {result.message}"
    if entry.expected is not None and result.passed:
        return f"{entry.name}: wrong ({entry.expected}: {entry.why}), but the checker passes it"
    return None


def test_the_corpus_is_well_formed():
    by_exercise: dict[str, list[Entry]] = {e: [] for e in EXERCISES}
    for entry in ENTRIES:
        assert entry.exercise in by_exercise, f"{entry.name}: no exercise called {entry.exercise}"
        assert entry.expected is None or entry.expected in TAGS, f"{entry.name}: unknown tag"
        assert re.fullmatch(rf"{entry.expected or 'pass'}_\d+\.py", entry.path.name), entry.name
        by_exercise[entry.exercise].append(entry)
    for exercise, entries in by_exercise.items():
        correct = sum(e.expected is None for e in entries)
        assert correct >= MIN_CORRECT, f"{exercise}: {correct} correct solutions"
        assert len(entries) - correct >= MIN_WRONG, f"{exercise}: {len(entries) - correct} mistakes"
    expected_tags = {e.expected for e in ENTRIES}
    assert expected_tags >= set(TAGS), f"no corpus file for {sorted(set(TAGS) - expected_tags)}"


@pytest.mark.parametrize("name", QUICK)
def test_quick_subset(name):
    entry = _read_entry(CORPUS / name)
    result = _check(entry)
    assert _verdict(entry, result) is None, _verdict(entry, result)
    if entry.expected is not None:
        assert result.mistake == entry.expected, (entry.name, result.mistake, result.message)


@pytest.mark.slow
@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_every_corpus_file_passes_or_fails_as_its_header_says(entry):
    result = _check(entry)
    assert _verdict(entry, result) is None, _verdict(entry, result)


@pytest.mark.slow
@pytest.mark.parametrize("seed", OTHER_SEEDS)
@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.expected is None], ids=lambda e: e.name)
def test_correct_files_pass_with_other_random_cases(entry, seed):
    from barenet.exercises import check_file

    result = check_file(entry.exercise, entry.path, seed=seed)
    assert result.passed, f"{entry.name}, seed {seed}: {result.mistake}: {result.message}"


@pytest.mark.slow
def test_the_mistake_is_named_for_nine_in_ten_wrong_files():
    wrong = [e for e in ENTRIES if e.expected is not None]
    missed = []
    for entry in wrong:
        result = _check(entry)
        if result.mistake != entry.expected:
            missed.append(f"{entry.name}: expected {entry.expected}, got {result.mistake}")
    accuracy = 1 - len(missed) / len(wrong)
    assert accuracy >= MIN_TAG_ACCURACY, (
        f"tag accuracy {accuracy:.1%} ({len(wrong) - len(missed)}/{len(wrong)}); misdiagnosed:\n"
        + "\n".join(missed)
    )
