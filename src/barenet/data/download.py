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

No file already present is ever modified or deleted; only our own temporary files are removed.
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
from barenet.version import __version__

CHUNK = 1 << 16  # bytes read from the socket at a time


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
    _make_directory(directory)
    dead: dict[str, str] = {}  # mirror -> why it could not be reached
    paths = []
    for name in names:
        failures: list[str] = []
        for mirror in mirrors:
            if mirror in dead:
                continue
            url = urllib.parse.urljoin(mirror if mirror.endswith("/") else mirror + "/", name)
            try:
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
                    f"cannot download {dataset}: no mirror reachable, no network? "
                    f"({'; '.join(failures)}). {fix}"
                )
            raise DataError(
                f"cannot download {name} for {dataset} from any mirror "
                f"({'; '.join(failures)}). {fix}"
            )
    return paths


def _put_files_there(names: Sequence[str], directory: Path) -> str:
    listed = ", ".join(names)
    return (
        f"Put the files {listed} in {directory}, or pass --data-dir pointing at a directory "
        "that holds them"
    )


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc or url


def _make_directory(directory: Path) -> None:
    if directory.exists() and not directory.is_dir():
        raise DataError(f"{directory}: is a file, not a directory; choose another --data-dir")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(
            f"{directory}: cannot create the data directory ({exc.strerror}); choose a "
            "writable --data-dir"
        ) from None


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
    tmp = final.parent / f".{final.name}.{os.getpid()}.{secrets.token_hex(4)}.part"
    try:
        out = open(tmp, "xb")  # closed by the `with out:` below
    except OSError as exc:
        raise DataError(
            f"{final.parent}: cannot write the download there ({exc.strerror}); choose a "
            "writable --data-dir"
        ) from None
    try:
        with out:
            _stream(url, out, final.name, progress, timeout)
        _verify(tmp, final.name, checksum)
        os.replace(tmp, final)
        return final
    except OSError as exc:  # the network's errors are handled in _stream: this is the disk
        raise DataError(
            f"{final}: cannot be written ({exc.strerror or exc}); free some disk space or "
            "choose another --data-dir"
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
            received = 0
            with tqdm(
                total=total, unit="B", unit_scale=True, unit_divisor=1024, desc=name,
                file=sys.stderr, disable=not progress, leave=False,
            ) as bar:
                while chunk := response.read(CHUNK):
                    out.write(chunk)
                    received += len(chunk)
                    bar.update(len(chunk))
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the response
        if exc.code >= 500:
            raise _Transient(f"HTTP {exc.code} {exc.reason}") from None
        raise _BadFile(f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise _Transient("timed out") from None
        raise _Unreachable(str(getattr(reason, "strerror", None) or reason)) from None
    except (TimeoutError, http.client.IncompleteRead, ConnectionError) as exc:
        what = "timed out" if isinstance(exc, TimeoutError) else "transfer cut short"
        raise _Transient(what) from None
    except http.client.HTTPException as exc:
        raise _Transient(f"bad HTTP response ({type(exc).__name__})") from None
    if total is not None and received != total:
        raise _Transient(f"transfer cut short ({received} of {total} bytes)")


def _verify(tmp: Path, name: str, checksum: Checksum | None) -> None:
    """Check the downloaded file: valid gzip/IDX and, when known, the canonical checksum."""
    raw = read_raw(tmp)
    try:
        content = decompress(raw, name)
        parse_idx(content, name)
    except DataError as exc:
        # the message names the temporary file; say what the mirror served instead
        reason = str(exc).split(": ", 1)[-1].split(";")[0]
        raise _BadFile(f"served a broken file ({reason})") from None
    if checksum is not None and file_status(checksum, raw, content) != VERIFIED:
        actual = digest(checksum, raw, content)
        if actual is None:
            raise _BadFile(f"served an uncompressed file; only the {checksum.describe()} is known")
        raise _BadFile(
            f"checksum mismatch ({checksum.describe()} is {actual}, expected "
            f"{checksum.hexdigest})"
        )
