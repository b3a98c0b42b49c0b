"""Download missing dataset files from an ordered list of mirrors, verified before they appear.

For each missing file, mirrors are tried in order; each is given `retries` extra attempts after a
transient failure (timeout, connection reset, transfer cut short, HTTP 5xx) with exponential
backoff `backoff · 2^attempt` seconds. A file is streamed into a temporary file *in the target
directory* (`.NAME.XXXX.part`), then decompressed, checked against its canonical checksum and
parsed as IDX; only then is it renamed to its final name (`os.replace`, atomic on one file
system). So an interrupted download never looks complete, and a bad checksum from one mirror
falls through to the next. A mirror that cannot be reached at all is not asked again for the
other files, so a machine with no network fails fast, with one message naming every file and
the directory to put them in.

    download_files(names, directory, mirrors, checksums, dataset=...) -> list[Path]

No file already present is ever modified or deleted; only our own temporary files are removed,
and those a killed download left (`.NAME.pid<id>-<hex>.part` whose process is gone, see
`barenet.files.abandoned`) when the next download starts in that directory.

Every download is bounded up front: a file may not be larger than the most its name can hold
(`largest_size`: the MNIST family's files are 60,000 or 10,000 images of 28×28, stored or
gzipped), refused as soon as the server announces more or sends more; and each file has a total
`deadline` (a mirror that trickles a byte every few seconds never trips the per-read timeout).
"""

from __future__ import annotations

import http.client
import os
import secrets
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path

from barenet.data.checksums import VERIFIED, Checksum, digest, file_status
from barenet.data.idx import decompress, parse_idx, read_raw
from barenet.errors import DataError
from barenet.i18n import _
from barenet.version import __version__

CHUNK = 1 << 16  # bytes read from the socket at a time
DEADLINE = 600.0  # seconds one file may take in all (MNIST's 9.9 MB: 40 s at 250 kB/s)
# The IDX content size of each file of the MNIST family (Fashion-MNIST has the same shapes):
# 16-byte header + 60,000 or 10,000 images of 28×28, 8-byte header + one byte per label.
CONTENT_SIZES = {
    "train-images-idx3-ubyte": 16 + 60_000 * 784,
    "train-labels-idx1-ubyte": 8 + 60_000,
    "t10k-images-idx3-ubyte": 16 + 10_000 * 784,
    "t10k-labels-idx1-ubyte": 8 + 10_000,
}


def largest_size(name: str) -> int:
    """The most bytes the file `name` may have: its known IDX content, plus what gzip can add
    (stored blocks, about 5 bytes per 64 kB, and a header); DATA_LIMIT for a name not known."""
    from barenet.data.idx import DATA_LIMIT

    content = CONTENT_SIZES.get(name.removesuffix(".gz"))
    return DATA_LIMIT if content is None else content + content // 1000 + 4096


class _Unreachable(Exception):
    """The mirror cannot be reached at all (DNS failure, connection refused): skip it."""


class _Transient(Exception):
    """A failure worth retrying on the same mirror (timeout, reset, cut-short transfer, 5xx)."""


class _BadFile(Exception):
    """The mirror answered, but not with the right file (404, bad checksum): try the next one."""


def download_files(
    names: Sequence[str],
    directory: str | os.PathLike,
    mirrors: Sequence[str],
    checksums: Mapping[str, Checksum],
    *,
    dataset: str = "dataset",
    all_names: Sequence[str] | None = None,
    progress: bool = True,
    timeout: float = 30.0,
    retries: int = 2,
    backoff: float = 1.0,
) -> list[Path]:
    """Download each file of `names` into `directory` (created if needed); return their paths.

    names: file names, appended to each mirror URL (a base URL; "/" is added if missing).
    checksums: file name -> canonical checksum; a downloaded file must match it exactly.
    all_names: every file of the dataset, named in the "put the files there" message.
    Raises `DataError` with one line when a file cannot be had from any mirror.
    """
    directory = Path(directory)
    created = _make_directory(directory)
    try:
        _remove_abandoned_parts(directory)
        return _download(names, directory, mirrors, checksums, dataset, all_names,
                         (progress, timeout, retries, backoff))
    except BaseException:  # a mistyped --data-dir is not left behind, created and empty
        for made in reversed(created):
            try:
                made.rmdir()  # only if empty: nothing of anyone's is removed
            except OSError:
                break
        raise


def _download(names, directory, mirrors, checksums, dataset, all_names, how) -> list[Path]:
    """download_files' loop, in `directory` (made); `how`: (progress, timeout, retries, backoff)."""
    progress, timeout, retries, backoff = how
    dead: dict[str, str] = {}  # mirror -> why it could not be reached
    paths = []
    for name in names:
        failures: list[str] = []
        for mirror in mirrors:
            if mirror in dead:
                continue
            try:
                url = _file_url(mirror, name)
                paths.append(
                    _fetch_with_retries(
                        url, directory / name, checksums.get(name), progress, timeout, retries,
                        backoff,
                    )
                )
                break
            except _Unreachable as exc:
                dead[mirror] = str(exc)
                failures.append(f"{_host(mirror)}: {exc}")
            except (_BadFile, _Transient) as exc:
                failures.append(f"{_host(mirror)}: {exc}")
        else:
            fix = _put_files_there(all_names or names, directory)
            if not failures:
                failures = [f"{_host(m)}: {why}" for m, why in dead.items()] or ["no mirrors"]
            if len(dead) == len(mirrors):
                raise DataError(
                    _("cannot download {dataset}: no mirror reachable, no network? ({failures}). "
                      "{fix}").format(
                        dataset=dataset, failures='; '.join(failures), fix=fix)
                )
            raise DataError(
                _("cannot download {name} for {dataset} from any mirror ({failures}). {fix}").format(
                    name=name, dataset=dataset, failures='; '.join(failures), fix=fix)
            )
    return paths


def _put_files_there(names: Sequence[str], directory: Path) -> str:
    listed = ", ".join(names)
    return _("Put the files {listed} in {directory}, or pass --data-dir pointing at a directory "
             "that holds them").format(listed=listed, directory=directory)


def _file_url(mirror: str, name: str) -> str:
    """The URL of `name` under the base URL `mirror`; _Unreachable if `mirror` is no URL."""
    try:
        return urllib.parse.urljoin(mirror if mirror.endswith("/") else mirror + "/", name)
    except ValueError:
        raise _Unreachable(_("not a valid http(s) URL")) from None


def _host(url: str) -> str:
    """The host (and port) of `url` for messages: never its user name or password."""
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or ""
        return f"{host}:{parts.port}" if parts.port else host or _("(a mirror URL that names no host)")
    except ValueError:
        return _("(an invalid mirror URL)")


def _make_directory(directory: Path) -> list[Path]:
    """Create `directory` (and its missing parents); return those it created, outermost first."""
    if directory.exists() and not directory.is_dir():
        raise DataError(_("{directory}: is a file, not a directory; choose another --data-dir").format(
                            directory=directory))
    missing = [d for d in [directory, *directory.parents] if not d.exists()][::-1]
    try:
        directory.mkdir(parents=True, exist_ok=True)
        return missing
    except OSError as exc:
        raise DataError(
            _("{directory}: cannot create the data directory ({strerror}); choose a writable "
              "--data-dir").format(
                directory=directory, strerror=exc.strerror)
        ) from None


def _remove_abandoned_parts(directory: Path) -> None:
    """Remove the `.part` files of downloads whose process is gone (killed, SIGKILL included)."""
    from barenet.files import abandoned

    for part in directory.glob(".*.part"):
        if abandoned(part) and part.is_file() and not part.is_symlink():
            part.unlink(missing_ok=True)


def _fetch_with_retries(url, final, checksum, progress, timeout, retries, backoff) -> Path:
    for attempt in range(retries + 1):
        try:
            return _fetch(url, final, checksum, progress, timeout)
        except _Transient:
            if attempt == retries:
                raise
            time.sleep(backoff * 2**attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def _fetch(url: str, final: Path, checksum: Checksum | None, progress: bool, timeout: float):
    """One attempt: stream `url` to a temporary file, verify it, rename it to `final`."""
    # Our own name, opened with "x" (never an existing file) and the user's umask (mkstemp's
    # 0600 would leave a shared cache unreadable to others).
    tmp = final.parent / f".{final.name}.pid{os.getpid()}-{secrets.token_hex(4)}.part"
    try:
        out = open(tmp, "xb")  # closed by the `with out:` below
    except OSError as exc:
        raise DataError(
            _("{directory}: cannot write the download there ({strerror}); choose a writable "
              "--data-dir").format(directory=final.parent, strerror=exc.strerror)
        ) from None
    try:
        with out:
            _stream(url, out, final.name, progress, timeout)
        _verify(tmp, final.name, checksum)
        os.replace(tmp, final)
        return final
    except OSError as exc:  # the network's errors are handled in _stream: this is the disk
        raise DataError(
            _("{path}: cannot be written ({strerror}); free some disk space or choose another "
              "--data-dir").format(path=final, strerror=exc.strerror or exc)
        ) from None
    finally:  # on any failure, KeyboardInterrupt included, our partial file goes away
        tmp.unlink(missing_ok=True)


def _stream(url: str, out, name: str, progress: bool, timeout: float) -> None:
    from tqdm import tqdm

    request = urllib.request.Request(url, headers={"User-Agent": f"barenet/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            most, ends = largest_size(name), time.monotonic() + DEADLINE
            if total is not None and total > most:
                raise _BadFile(_("announces {total:,} bytes, more than the {most:,} {name} can "
                                 "hold").format(total=total, most=most, name=name))
            received = 0
            with tqdm(
                total=total, unit="B", unit_scale=True, unit_divisor=1024, desc=name,
                file=sys.stderr, disable=not progress, leave=False,
            ) as bar:
                while chunk := response.read1(CHUNK):  # what has come: a deadline can act
                    out.write(chunk)
                    received += len(chunk)
                    bar.update(len(chunk))
                    _check_bounds(received, most, ends, name)
    except ValueError:  # no scheme, a bad port, an unknown protocol: never echoed (credentials)
        raise _Unreachable(_("not a valid http(s) URL")) from None
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the response
        if exc.code >= 500:
            raise _Transient(f"HTTP {exc.code} {exc.reason}") from None
        raise _BadFile(f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise _Transient(_("timed out")) from None
        raise _Unreachable(str(getattr(reason, "strerror", None) or reason)) from None
    except (TimeoutError, http.client.IncompleteRead, ConnectionError) as exc:
        what = _("timed out") if isinstance(exc, TimeoutError) else _("transfer cut short")
        raise _Transient(what) from None
    except http.client.HTTPException as exc:
        raise _Transient(_("bad HTTP response ({name})").format(
                             name=type(exc).__name__)) from None
    if total is not None and received != total:
        raise _Transient(_("transfer cut short ({received} of {total} bytes)").format(
                             received=received, total=total))


def _check_bounds(received: int, most: int, ends: float, name: str) -> None:
    """_BadFile (next mirror) once a download sends more than `most` bytes or passes `ends`."""
    if received > most:
        raise _BadFile(_("sent more than the {most:,} bytes {name} can hold; stopped").format(
            most=most, name=name))
    if time.monotonic() > ends:
        raise _BadFile(_("too slow: {received:,} bytes in {seconds:.0f} s; stopped").format(
            received=received, seconds=DEADLINE))


def _verify(tmp: Path, name: str, checksum: Checksum | None) -> None:
    """Check the downloaded file: valid gzip/IDX and, when known, the canonical checksum."""
    raw = read_raw(tmp)
    try:
        content = decompress(raw, name)
        parse_idx(content, name)
    except DataError as exc:
        # the message names the temporary file; say what the mirror served instead
        reason = str(exc).split(": ", 1)[-1].split(";")[0]
        raise _BadFile(_("served a broken file ({reason})").format(
                           reason=reason)) from None
    if checksum is not None and file_status(checksum, raw, content) != VERIFIED:
        actual = digest(checksum, raw, content)
        if actual is None:
            raise _BadFile(_("served an uncompressed file; only the {what} is known").format(
                               what=checksum.describe()))
        raise _BadFile(
            _("checksum mismatch ({what} is {actual}, expected {expected})").format(
                what=checksum.describe(), actual=actual, expected=checksum.hexdigest)
        )
