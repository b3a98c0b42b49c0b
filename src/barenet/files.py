"""The user's files: written so that nothing is half-written, read only when they are files.

    atomic_write(path, data)      bytes → path, atomically (parent directories created)
    open_regular(path, limit)     open for reading a regular file of at most `limit` bytes

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

import os
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO

__all__ = ["FileTooLarge", "NotAFile", "atomic_write", "file_kind", "open_regular"]


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

