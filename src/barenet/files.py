"""The user's files: written so that nothing is half-written, read only when they are files.

    atomic_write(path, data)      bytes → path, atomically (parent directories created)
    open_regular(path, limit)     open for reading a regular file of at most `limit` bytes
    check_output_path(path, flag) before any work: may a file be written at `path`?
    OutputLock(path)              one process at a time writes `path`
    temp_files_of(path)           what a killed atomic_write(path) left behind

Writing: the bytes go to a temporary file beside `path` (the same directory, so the same file system and
an atomic rename), are flushed and fsync'ed, get the mode an ordinary `open()` would give, and
the temporary file is renamed over `path` with `os.replace`; the directory is then fsync'ed so
that the rename itself survives a power cut. On any failure, Ctrl-C included, the temporary file
is removed and whatever `path` held before is left as it was.

Reading: a path the user gives may name anything, a FIFO (opening it for reading waits for a
writer, for ever), a device (`/dev/zero` never ends), a directory, a socket, or a huge sparse
file. Every reader of user files opens them with `open_regular`, which never blocks
(O_NONBLOCK), checks the file type with fstat before reading one byte, and can cap the size:

    with open_regular(path, limit=100 * 2**20) as handle:   # NotAFile, FileTooLarge or OSError
        data = handle.read()
"""

from __future__ import annotations

import glob
import os
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO

__all__ = ["FileTooLarge", "NotAFile", "OutputLock", "atomic_write", "check_output_path", "file_kind",
           "open_regular", "temp_files_of"]


def atomic_write(path: str | Path, data: bytes) -> Path:
    """Write `data` to `path` atomically and return `path`; raises OSError if the disk refuses."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; the user's file is an ordinary one
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_directory(directory)
    return path


def _umask() -> int:
    """The process's umask (reading it means setting it, so it is set back at once)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_directory(directory: Path) -> None:
    """Make a rename in `directory` durable; a file system that cannot do this is left alone."""
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


class NotAFile(OSError):
    """The path exists but is a FIFO, a device, a socket or a directory; `strerror` says which.

    `kind` is the bare description ("a FIFO (named pipe)"), for messages of one's own.
    """

    kind = "not a regular file"


class FileTooLarge(OSError):
    """The file is larger than the reader accepts; `strerror` gives both sizes."""


def file_kind(mode: int) -> str:
    """What a non-regular st_mode is, in words: 'a FIFO (named pipe)', 'a directory', ..."""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "not a regular file"


def open_regular(path: str | os.PathLike, limit: int | None = None) -> BinaryIO:
    """Open `path` for binary reading if it is a regular file of at most `limit` bytes.

    Raises FileNotFoundError / PermissionError as `open` does, NotAFile for anything but a
    regular file, FileTooLarge above `limit`. Never blocks, never reads before checking.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = file_kind(info.st_mode)
            error = NotAFile(0, f"is {kind}, not a regular file", os.fspath(path))
            error.kind = kind
            raise error
        if limit is not None and info.st_size > limit:
            raise FileTooLarge(0, f"is {info.st_size:,} bytes, more than the limit of {limit:,}",
                               os.fspath(path))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise



def check_output_path(path: str | os.PathLike, flag: str, *, overwrite: bool = True,
                      suffix: str | None = None) -> Path:
    """`path` if barenet may write a file there; else ConfigError naming `flag` and the fix.

    Checked before any work, so that nothing runs for an hour to fail at the end, and nothing
    that is not the user's regular file is ever replaced: the path must not exist, or be a
    regular file (with `overwrite`); never a FIFO, a device, a socket or a directory. Its
    nearest existing ancestor must be a directory this process may write into. `suffix`
    (".png") is required of the name, not silently appended.
    """
    from barenet.errors import ConfigError

    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:  # a component is a file (ENOTDIR), a loop, a name too long
        raise ConfigError(f"{flag} {path}: not a path a file can be written to ({exc.strerror}); "
                          f"choose another {flag}") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise ConfigError(f"{flag} {path}: is {file_kind(info.st_mode)}, not a regular file; name a file to "
                          "write (barenet never replaces anything else)")
    if suffix is not None and path.suffix.lower() != suffix:
        raise ConfigError(f"{flag} {path}: the file must end in {suffix}; name it e.g. "
                          f"{path.name or 'out'}{suffix}")
    if info is not None and not overwrite:
        raise ConfigError(f"{path} already exists; choose another {flag} or pass --overwrite")
    _check_directory(path, flag)
    return path


def _check_directory(path: Path, flag: str) -> None:
    """The nearest existing ancestor of `path`'s directory is a directory we may write into."""
    from barenet.errors import ConfigError

    ancestor = path.absolute().parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise ConfigError(f"{flag} {path}: {ancestor} is a file, not a directory; choose another "
                          f"{flag}")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise ConfigError(f"{flag} {path}: the directory {ancestor} is not writable (permission "
                          f"denied); choose another {flag}")
    try:  # permissions are not all: a read-only mount, /proc, a quota (and root passes access())
        with tempfile.TemporaryFile(dir=ancestor):
            pass
    except OSError as exc:
        raise ConfigError(f"{flag} {path}: no file can be created in {ancestor} "
                          f"({exc.strerror or exc}); choose another {flag}") from None


def temp_files_of(path: Path) -> list[Path]:
    """Temporary files `atomic_write(path, ...)` leaves when it is killed: .<name>.*.tmp."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.glob(f".{glob.escape(path.name)}.*.tmp") if p.is_file())


class OutputLock:
    """An exclusive lock on writing `path`, held by one process at a time (fcntl.flock).

    The lock is on `.<name>.lock` beside `path`; the operating system releases it when the
    process ends, even by SIGKILL, so a stale lock never blocks the next run. The file itself
    is removed when the lock is released.

        with OutputLock(out) as lock:   # ConfigError if another process holds it
            ...
    """

    def __init__(self, path: str | os.PathLike, flag: str = "--out") -> None:
        self.path = Path(path)
        self.lock_path = self.path.with_name(f".{self.path.name}.lock")
        self.flag = flag
        self.fd: int | None = None

    def __enter__(self) -> OutputLock:
        import fcntl

        from barenet.errors import ConfigError

        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise ConfigError(f"{self.path}: another barenet (process {holder}) is writing this "
                              f"file right now; wait for it to finish or choose another "
                              f"{self.flag}") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self.fd = fd
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.fd is not None:
            self.lock_path.unlink(missing_ok=True)
            os.close(self.fd)  # closing releases the flock
            self.fd = None
