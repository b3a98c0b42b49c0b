"""CheckResult: what a check returns, to Python, to `barenet check --json` and to a notebook."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CheckResult:
    """The outcome of checking one exercise.

    exercise: its id; passed: every function right; mistake: a tag of `cases.TAGS` (None when
    passed); message: the whole feedback text in the learner's language, its last line the verdict;
    not_implemented: the functions that still raise NotImplementedError (a starter: all of them).
    """

    exercise: str
    passed: bool
    mistake: str | None
    message: str
    not_implemented: tuple[str, ...] = ()  # functions that still raise NotImplementedError

    def to_json(self) -> dict[str, Any]:
        """{"exercise", "passed", "mistake", "message"}: what `barenet check --json` prints."""
        return {"exercise": self.exercise, "passed": self.passed, "mistake": self.mistake,
                "message": self.message}

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"CheckResult(exercise={self.exercise!r}, passed={self.passed}, mistake={self.mistake!r})"
