"""Calling a learner's function safely: a time limit, their prints kept aside, every exception caught.

    call(function, args, time_limit, printed) -> Call

Whatever the function does — raise, loop forever, print a million lines, call sys.exit, run out
of memory — `call` returns a `Call` saying what happened; only Ctrl-C (KeyboardInterrupt) goes on
up. The time limit is a SIGALRM timer, so it holds in the main thread (a script, the sandbox's
process, a Jupyter kernel); elsewhere the call runs without one. Tracebacks keep the learner's
frames only: not the checker's, not NumPy's, not the standard library's.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import sysconfig
import threading
import time
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
NOT_THEIRS = tuple(str(p) for p in {HERE, Path(np.__file__).resolve().parent,
                                   Path(sysconfig.get_paths()["stdlib"]).resolve()})


#: A wall-clock moment (time.monotonic()) after which no call may run: the sandbox sets it, so that
#: a check's whole budget holds however many calls it makes (None: each call only has its own limit).
deadline: float | None = None


def set_deadline(moment: float | None) -> None:
    """Cap every later call's time limit at `moment` (time.monotonic()); None lifts the cap."""
    global deadline
    deadline = moment


def capped(seconds: float | None) -> float | None:
    """`seconds`, shortened to what is left before the deadline (at least a millisecond)."""
    if deadline is None:
        return seconds
    left = max(deadline - time.monotonic(), 1e-3)
    return left if seconds is None else min(seconds, left)


class TimeLimit(BaseException):
    """Raised in the learner's code when its time is up (a BaseException: `except Exception` in
    their code does not swallow it)."""


class Printed:
    """A stand-in for sys.stdout / sys.stderr that keeps the first `limit` characters and counts
    lines up to `line_cap`; past it, it silences print() for the rest of the call (sys.stdout and
    sys.stderr become None, which print() skips), so a million prints cost no more than a few."""

    def __init__(self, limit: int = 4000, line_cap: int = 10_000) -> None:
        self.limit = limit
        self.line_cap = line_cap
        self.kept: list[str] = []
        self.size = 0
        self.lines = 0
        self.encoding = "utf-8"

    @property
    def capped(self) -> bool:
        return self.lines >= self.line_cap

    def write(self, text: str) -> int:
        text = str(text)
        self.lines += text.count("\n")
        if self.size < self.limit:
            self.kept.append(text[: self.limit - self.size])
        self.size += len(text)
        if self.capped:
            if sys.stdout is self:
                sys.stdout = None
            if sys.stderr is self:
                sys.stderr = None
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def text(self) -> str:
        return "".join(self.kept)


@dataclass
class Call:
    """What one call did. `failure`: None (it returned), "not_implemented", "exception", "memory",
    "exit" (sys.exit) or "timeout"; `detail`: the learner's traceback, the exit code or (timeout) the
    seconds the call had."""

    value: Any = None
    failure: str | None = None
    detail: str = ""
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0  # CPU time of the process during the call


def learner_traceback(exc: BaseException) -> str:
    """The exception's traceback through the learner's frames only, and its last line."""
    frames = [frame for frame in traceback.extract_tb(exc.__traceback__)
              if not str(Path(frame.filename).resolve()).startswith(NOT_THEIRS)
              and not frame.filename.startswith("<frozen")]
    lines = traceback.format_list(frames)
    lines += traceback.format_exception_only(type(exc), exc)
    return "".join(lines).rstrip()


@contextlib.contextmanager
def time_limit(seconds: float | None):
    """Raise TimeLimit in this thread after `seconds` (no limit off the main thread or for None)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise TimeLimit

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def call(function: Callable, args: tuple, time_limit_s: float | None, printed: Printed) -> Call:
    """Call function(*args) with its prints going to `printed`; what happened, as a Call."""
    outcome = Call()
    time_limit_s = capped(time_limit_s)
    start = time.process_time()  # CPU time: another program's load does not count against it
    with warnings.catch_warnings(record=True) as caught, \
            contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        warnings.simplefilter("always")
        try:
            with np.errstate(over="warn", divide="warn", invalid="warn", under="ignore"), \
                    time_limit(time_limit_s):
                outcome.value = function(*args)
        except KeyboardInterrupt:
            raise
        except TimeLimit:
            outcome.failure, outcome.detail = "timeout", f"{time_limit_s:.2g}"
        except NotImplementedError as exc:
            outcome.failure, outcome.detail = "not_implemented", learner_traceback(exc)
        except MemoryError as exc:
            outcome.failure, outcome.detail = "memory", learner_traceback(exc)
        except SystemExit as exc:
            outcome.failure, outcome.detail = "exit", repr(exc.code)
        except BaseException as exc:  # the learner's code may raise anything
            outcome.failure, outcome.detail = "exception", learner_traceback(exc)
    outcome.seconds = time.process_time() - start
    outcome.warnings = [f"{w.category.__name__}: {w.message}" for w in caught
                        if issubclass(w.category, RuntimeWarning)]
    return outcome
