"""What the process meets from outside while a command runs: signals, a closed pipe, a full disk
behind standard output, and file names that are not text.

    with guarded() as guard:       # around a whole command (barenet.cli.main)
        status = guard.status(run())

Signals. SIGTERM (`kill`, a scheduler ending a job) and SIGHUP (the terminal closed) are handled
as Ctrl-C is: they raise `Terminated`, a KeyboardInterrupt, where the program is, so `train`
keeps its last checkpoint, says how to resume, and releases its locks; the exit status is
128 + the signal's number (143, 129), as a shell reports a process a signal ended.

Standard output. `barenet train | head -4`: the reader leaves after four lines. The command does
not stop, it goes on to the end and writes its files: a run of an hour is not thrown away because
whoever watched its progress looked away; a note on stderr says the output is no longer shown and
the exit status is the command's own. Any other failure to write it (a full disk, `> /dev/full`)
loses output the user asked for: the command still goes on (a model is still saved), then says so
in one line and exits 1. Either way standard output is pointed at /dev/null once it fails, so
nothing writes to it again (not even Python's flush at exit).

Unprintable names. A file name that is not valid UTF-8 reaches Python as text with surrogate
escapes; printed, it would raise UnicodeEncodeError. stdout and stderr escape such characters
as \\xNN (the name's bytes), and anything the terminal's encoding lacks as \\uNNNN.
"""

from __future__ import annotations

import codecs
import errno
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from barenet.i18n import _

ESCAPE = "barenet.escape"  # the codecs error handler of stdout and stderr


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the program is, handled wherever Ctrl-C is."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def shell_word(path: str | os.PathLike) -> str:
    """`path` as one word of a command to copy into a shell: quoted when it holds spaces, quotes
    or other shell syntax (shlex.quote), undecodable bytes escaped as \\xNN."""
    import shlex

    from barenet.files import printable

    return shlex.quote(printable(path))


def exit_status(exc: KeyboardInterrupt) -> int:
    """The exit status of an interruption: 128 + the signal's number (Ctrl-C: SIGINT, 130)."""
    return 128 + getattr(exc, "signum", signal.SIGINT)


def _escape(error: UnicodeError) -> tuple[str, int]:
    """Encode-error handler: a surrogate-escaped byte as \\xNN, any other character as \\uNNNN."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start:error.end]
    escaped = "".join(f"\\x{ord(c) - 0xDC00:02x}" if 0xDC80 <= ord(c) <= 0xDCFF
                      else c.encode("ascii", "backslashreplace").decode("ascii") for c in text)
    return escaped, error.end


codecs.register_error(ESCAPE, _escape)


class GuardedOutput:
    """A text stream whose write and flush never raise OSError: the first failure is kept in
    `lost`, noted once on stderr, and the stream's descriptor pointed at /dev/null."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.lost: OSError | None = None

    def write(self, text: str) -> int:
        if self.lost is None:
            try:
                return self._stream.write(text)
            except OSError as exc:
                self._lose(exc)
        return len(text)

    def flush(self) -> None:
        if self.lost is None:
            try:
                self._stream.flush()
            except OSError as exc:
                self._lose(exc)

    def _lose(self, exc: OSError) -> None:
        self.lost = exc
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError):  # a stream without a descriptor (a test's capture)
            pass
        if exc.errno == errno.EPIPE:
            note = _("barenet: note: the output's reader has gone (a closed pipe, e.g. `| head`); "
                     "the command goes on to the end and writes its files, without showing more")
        else:
            note = _("barenet: warning: standard output cannot be written ({reason}); the command "
                     "goes on, its output is lost").format(reason=exc.strerror or exc)
        print(note, file=sys.stderr)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class Guard:
    """What `guarded` installed: the guarded stdout, and the exit status it implies."""

    def __init__(self, out: GuardedOutput) -> None:
        self.out = out

    def status(self, status: int) -> int:
        """`status`, or 1 if the command's output was lost otherwise than to a closed pipe."""
        lost = self.out.lost
        if status == 0 and lost is not None and lost.errno != errno.EPIPE:
            print(_("barenet: error: the output could not be written ({reason}); write it to a "
                    "file on a disk with space, e.g. > report.txt").format(
                reason=lost.strerror or lost), file=sys.stderr)
            return 1
        return status


def _raise_terminated(signum: int, frame: Any) -> None:
    raise Terminated(signum)


@contextmanager
def guarded() -> Iterator[Guard]:
    """For the block: SIGTERM/SIGHUP as Ctrl-C, stdout that survives a closed pipe or a full
    disk, unprintable characters escaped; everything set back afterwards."""
    stdout, handlers, errors = sys.stdout, {}, {}
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            errors[stream] = stream.errors
            stream.reconfigure(errors=ESCAPE)
    for signum in (signal.SIGTERM, signal.SIGHUP) if _in_main_thread() else ():
        handlers[signum] = signal.signal(signum, _raise_terminated)
    sys.stdout = GuardedOutput(stdout)
    try:
        yield Guard(sys.stdout)
    finally:
        sys.stdout.flush()
        sys.stdout = stdout
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        for stream, before in errors.items():
            stream.reconfigure(errors=before)


def _in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()
