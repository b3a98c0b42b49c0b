"""Writing the user's files safely: a reader sees the old file or the whole new one, never half.

    atomic_write(path, data)   bytes → path, atomically (parent directories created)

The bytes go to a temporary file beside `path` (the same directory, so the same file system and
an atomic rename), are flushed and fsync'ed, get the mode an ordinary `open()` would give, and
the temporary file is renamed over `path` with `os.replace`; the directory is then fsync'ed so
that the rename itself survives a power cut. On any failure, Ctrl-C included, the temporary file
is removed and whatever `path` held before is left as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


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
