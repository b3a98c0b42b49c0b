"""The user's files: written so that nothing is half-written, read only when they are files.

    atomic_write(path, data)      bytes → path, atomically (parent directories created)
    open_regular(path, limit)     open for reading a regular file of at most `limit` bytes
    check_output_path(path, flag) before any work: may a file be written at `path`?
    OutputLock(path)              one process at a time writes `path`
    temp_files_of(path)           what a killed atomic_write(path) left behind
    abandoned(temp)               whether the process that wrote a temporary file is gone

One rule for every file barenet creates, the command line's and the Python API's alike: it is
never written through a symbolic link (links are refused, lock files opened with O_NOFOLLOW),
never replaces anything but a regular file (a FIFO, a device, a directory, a link), and never
touches a file another live process owns (a temporary file's name carries its writer's process
id, and only those whose writer is dead, or this process, count as left behind).

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

import errno
import glob
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO

from barenet.i18n import _

__all__ = ["FileTooLarge", "NotAFile", "OutputLock", "abandoned", "atomic_write", "check_output_path",
           "file_kind", "open_regular", "refuse_non_regular", "temp_files_of"]

TEMP_MARK = "pid"  # a temporary file is .<name>.pid<writer's process id>-<random>.tmp
_TEMP_PID = re.compile(rf"\.{TEMP_MARK}(\d+)-[^.]*\.(?:tmp|part)$")  # .part: a download's
NAME_SPARE = 32  # bytes the longest derived name (a temporary file's) adds to an output's name


def atomic_write(path: str | Path, data: bytes) -> Path:
    """Write `data` to `path` atomically and return `path`; raises OSError if the disk refuses.

    NotAFile (an OSError) if `path` is a symbolic link, a FIFO, a device or a directory: only a
    regular file is ever replaced, checked before writing and again just before the rename.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    refuse_non_regular(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{TEMP_MARK}{os.getpid()}-", suffix=".tmp",
                               dir=directory)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; the user's file is an ordinary one
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        refuse_non_regular(path)  # a FIFO or a link planted while the bytes were written
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_directory(directory)
    return path


def refuse_non_regular(path: str | os.PathLike) -> os.stat_result | None:
    """`path`'s lstat, None if absent; NotAFile if it is a link or anything but a regular file."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(info.st_mode):
        raise not_a_file(path, info.st_mode)
    return info


def not_a_file(path: str | os.PathLike, mode: int) -> NotAFile:
    """The NotAFile error for `path` whose st_mode (from lstat or fstat) is not a regular file."""
    kind = file_kind(mode)
    error = NotAFile(0, _("is {kind}, not a regular file").format(kind=kind), os.fspath(path))
    error.kind = kind
    return error


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

    kind = "not a regular file"  # replaced by file_kind's words when raised


class FileTooLarge(OSError):
    """The file is larger than the reader accepts; `strerror` gives both sizes."""


def file_kind(mode: int) -> str:
    """What a non-regular st_mode is, in words: 'a FIFO (named pipe)', 'a directory', ..."""
    if stat.S_ISFIFO(mode):
        return _("a FIFO (named pipe)")
    if stat.S_ISCHR(mode):
        return _("a character device")
    if stat.S_ISBLK(mode):
        return _("a block device")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    if stat.S_ISDIR(mode):
        return _("a directory")
    if stat.S_ISLNK(mode):
        return _("a symbolic link")
    return _("not a regular file")


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
            raise not_a_file(path, info.st_mode)
        if limit is not None and info.st_size > limit:
            raise FileTooLarge(0, _("is {size:,} bytes, more than the limit of {limit:,}").format(
                size=info.st_size, limit=limit), os.fspath(path))
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
        info = os.lstat(path)  # a link is refused, not followed
    except FileNotFoundError:
        info = None
    except (OSError, ValueError) as exc:  # a component is a file (ENOTDIR), a loop, a NUL byte
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ConfigError(_("{flag} {path}: not a path a file can be written to ({reason}); choose "
                            "another {flag}").format(flag=flag, path=path, reason=reason)) from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise ConfigError(_("{flag} {path}: is {kind}, not a regular file; name a file to write "
                            "(barenet never replaces anything else)").format(
                              flag=flag, path=path, kind=file_kind(info.st_mode)))
    _check_name_length(path, flag)
    if suffix is not None and path.suffix.lower() != suffix:
        raise ConfigError(_("{flag} {path}: the file must end in {suffix}; name it e.g. "
                            "{name}{suffix}").format(flag=flag, path=path, suffix=suffix,
                                                     name=path.name or "out"))
    if info is not None and not overwrite:
        raise ConfigError(_("{path} already exists; choose another {flag} or pass --overwrite").format(
                              path=path, flag=flag))
    _check_directory(path, flag)
    return path


def _check_directory(path: Path, flag: str) -> None:
    """The nearest existing ancestor of `path`'s directory is a directory we may write into."""
    from barenet.errors import ConfigError

    ancestor = path.absolute().parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise ConfigError(_("{flag} {path}: {ancestor} is a file, not a directory; choose another "
                            "{flag}").format(flag=flag, path=path, ancestor=ancestor))
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise ConfigError(_("{flag} {path}: the directory {ancestor} is not writable (permission "
                            "denied); choose another {flag}").format(flag=flag, path=path,
                                                                     ancestor=ancestor))
    try:  # permissions are not all: a read-only mount, /proc, a quota (and root passes access())
        with tempfile.TemporaryFile(dir=ancestor):
            pass
    except OSError as exc:
        raise ConfigError(_("{flag} {path}: no file can be created in {ancestor} ({reason}); choose "
                            "another {flag}").format(flag=flag, path=path, ancestor=ancestor,
                                                     reason=exc.strerror or exc)) from None


def _check_name_length(path: Path, flag: str) -> None:
    """ConfigError if `path`'s name, with what barenet adds to it (.<name>.pid…tmp), is too long."""
    from barenet.errors import ConfigError

    ancestor = path.absolute().parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    try:
        limit = os.pathconf(ancestor, "PC_NAME_MAX")
    except (OSError, ValueError):
        limit = 255
    longest = len(os.fsencode(path.name))  # the directories exist or are made as named
    if longest + NAME_SPARE > limit:
        raise ConfigError(_("{flag} {path}: the name is too long for this file system ({length} "
                            "bytes; at most {most} here, with what barenet adds for its temporary "
                            "files); choose a shorter {flag}").format(
            flag=flag, path=printable(path), length=longest, most=limit - NAME_SPARE))


def printable(path: str | os.PathLike) -> str:
    """`path` as text any terminal can show: bytes that are not UTF-8 as \\xNN escapes."""
    raw = os.fsencode(path)
    return raw.decode("utf-8", errors="backslashreplace")


def writer_pid(temp: Path) -> int | None:
    """The process id in a temporary file's name (.<name>.pid<id>-<random>.tmp); None if absent."""
    match = _TEMP_PID.search(temp.name)
    return int(match.group(1)) if match else None


def abandoned(temp: Path) -> bool | None:
    """True if the process that wrote `temp` is gone (or is this one: not saving right now);
    False if it is alive (another user's process counts as alive); None if the name holds no
    process id (an older barenet's file: the caller decides, e.g. by the owner's lock)."""
    pid = writer_pid(temp)
    if pid is None:
        return None
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # gone, or a number no process can have
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


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
    is removed when the lock is released. It is opened with O_NOFOLLOW and must be a regular
    file with one link, so a link planted in its place (to another file) is refused, never
    truncated. A lock file that its holder removed between our open and our flock is opened
    again (else two processes could each hold a lock on a different file of one name).

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
        for _attempt in range(5):
            fd = self._open()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.read(fd, 32).decode(errors="replace").strip() or "?"
                os.close(fd)
                raise ConfigError(_("{path}: another barenet (process {holder}) is writing this file "
                                    "right now; wait for it to finish or choose another {flag}").format(
                                      path=self.path, holder=holder, flag=self.flag)) from None
            if self._is_current(fd):
                break
            os.close(fd)  # its holder removed it while we waited: lock the one there now
        self.fd = fd
        try:
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
        except OSError as exc:
            self.__exit__()
            raise self._error(exc) from None
        return self

    def _open(self) -> int:
        """The lock file's descriptor: created, or an existing regular file with one link."""
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        flags |= getattr(os, "O_NONBLOCK", 0)  # a FIFO in its place must not hang the open
        try:
            fd = os.open(self.lock_path, flags, 0o644)
        except OSError as exc:
            raise self._error(exc) from None
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
            os.close(fd)
            raise self._error(OSError(errno.ELOOP, "not a lock file"))
        return fd

    def _is_current(self, fd: int) -> bool:
        """Whether `fd` is still the file at lock_path (not one its last holder removed)."""
        try:
            there = os.lstat(self.lock_path)
        except FileNotFoundError:
            return False
        mine = os.fstat(fd)
        return (there.st_dev, there.st_ino) == (mine.st_dev, mine.st_ino)

    def _error(self, exc: OSError):
        """One line for a lock file that cannot be made: a planted link, a full disk, a long name."""
        from barenet.errors import ConfigError

        name, flag = printable(self.lock_path), self.flag
        if exc.errno in (errno.ELOOP, errno.EMLINK):
            return ConfigError(_("{name} is not barenet's lock file (a link, or not a regular "
                                 "file); barenet never writes through it: remove it, or choose "
                                 "another {flag}").format(name=name, flag=flag))
        reason = exc.strerror or str(exc)
        fix = (_("free some space on that disk") if exc.errno in (errno.ENOSPC, errno.EDQUOT)
               else _("choose another {flag}").format(flag=flag))
        return ConfigError(_("cannot create the lock file {name} ({reason}); {fix}").format(
            name=name, reason=reason, fix=fix))

    def __exit__(self, *exc_info: object) -> None:
        if self.fd is not None:
            if self._is_current(self.fd):  # never remove a file that is not ours
                self.lock_path.unlink(missing_ok=True)
            os.close(self.fd)  # closing releases the flock
            self.fd = None
