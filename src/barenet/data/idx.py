"""The IDX file format of MNIST: read (validating before trusting), and write.

An IDX file is a header followed by one big-endian array::

    bytes 0-1   0x00 0x00                 magic
    byte  2     type code                 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32,
                                          0x0D float32, 0x0E float64
    byte  3     ndim                      number of dimensions (1 for labels, 3 for images)
    4·ndim      dims                      each a big-endian uint32: (N,) or (N, rows, cols)
    rest        data                      prod(dims) items, C order, big-endian

Either the raw file or its gzip (`.gz`) is accepted. Reading is one `gzip.decompress` and one
`numpy.frombuffer` (no per-pixel loop); every claim of the header is checked against the bytes
actually present *before* any array is built, so a header claiming 2³¹ images allocates nothing.

    read_idx(path) -> ndarray                  any valid IDX file, read-only view on its bytes
    read_images(path, shape=(28, 28))          (N, 28, 28) uint8
    read_labels(path, n_classes=10)            (N,) uint8, every value in [0, n_classes)
    read_raw(path) -> bytes                    the file's bytes as stored
    decompress(raw, path) -> bytes             gunzip (by magic bytes) with clear errors
    read_idx_bytes(path) -> bytes              the decompressed content (what checksums cover)
    parse_idx(content, path) -> ndarray        validate and view already-decompressed content
    encode_idx(array) -> bytes                 the IDX bytes of an array
    write_idx(path, array)                     gzip-compressed when `path` ends in `.gz`

Every problem raises `DataError` with one line naming the file, what is wrong and what to do.
"""

from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path

import numpy as np

from barenet.errors import DataError
from barenet.i18n import _

GZIP_MAGIC = b"\x1f\x8b"
DATA_LIMIT = 1 << 30  # bytes a dataset file may hold, read or inflated (MNIST's largest: 47 MB)
# Inflating: real IDX data compresses about 5:1 (MNIST's images 47 MB -> 9.9 MB); a gzip bomb
# reaches ~1000:1. A stream may inflate to INFLATE_RATIO x its size (at least INFLATE_FLOOR).
INFLATE_RATIO = 64
INFLATE_FLOOR = 64 << 20
INFLATE_STEP = 1 << 20  # bytes inflated at a time

# IDX type code -> big-endian NumPy dtype, and back.
TYPE_CODES: dict[int, np.dtype] = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_CODE_OF_KIND: dict[tuple[str, int], int] = {
    (dtype.kind, dtype.itemsize): code for code, dtype in TYPE_CODES.items()
}

def replace_hint() -> str:
    """The fix every message about a damaged dataset file ends with."""
    return _("replace it with a good copy (or delete it so that `barenet data` downloads it)")


def read_raw(path: str | os.PathLike, fix: str | None = None) -> bytes:
    """The bytes of the file at `path` as stored (still compressed if it is gzip).

    A missing file, a directory, an unreadable file and an empty file each raise `DataError`;
    `fix` ends the message of an empty file (what to do about it; default `replace_hint()`).
    """
    fix = fix or replace_hint()
    from barenet.files import FileTooLarge, NotAFile, open_regular

    path = Path(path)
    try:
        with open_regular(path, limit=DATA_LIMIT) as handle:  # never a FIFO, a device, a huge file
            raw = handle.read()
    except (NotAFile, FileTooLarge) as exc:
        raise DataError(_("{path}: {strerror}; put the dataset's file there").format(
                            path=path, strerror=exc.strerror)) from None
    except FileNotFoundError:
        raise DataError(
            _("{path}: file not found; put the file there or point --data-dir at the directory that "
              "holds it").format(
                path=path)
        ) from None
    except IsADirectoryError:
        raise DataError(_("{path}: is a directory, not an IDX file; remove or rename it").format(
                            path=path)) from None
    except OSError as exc:
        raise DataError(_("{path}: cannot be read ({strerror}); check its permissions").format(
                            path=path, strerror=exc.strerror)) from None
    if not raw:
        raise DataError(_("{path}: file is empty (0 bytes); {fix}").format(
                            path=path, fix=fix))
    return raw


def is_gzip(raw: bytes) -> bool:
    """True when `raw` starts with the gzip magic bytes 1f 8b."""
    return raw[:2] == GZIP_MAGIC


def decompress(raw: bytes, path: str | os.PathLike) -> bytes:
    """The IDX content of a file's `raw` bytes: gunzipped when they are gzip (by magic bytes).

    A `.gz` name on a file that is not gzip, a truncated gzip stream and corrupt gzip data each
    raise their own `DataError`.
    """
    path = Path(path)
    if is_gzip(raw):
        return gunzip(raw, path)
    if path.suffix == ".gz":
        if raw[:2] == b"\x00\x00" and len(raw) >= 4 and raw[2] in TYPE_CODES:
            raise DataError(
                _("{path}: named .gz but not gzip-compressed (it is a plain IDX file, perhaps "
                  "decompressed by a browser); rename it to {name}").format(
                    path=path, name=path.with_suffix('').name)
            )
        raise DataError(
            _("{path}: named .gz but not a gzip file (starts with bytes {hex}, expected 1f 8b); "
              "{fix}").format(
                path=path, hex=raw[:4].hex(' '), fix=replace_hint())
        )
    return raw


def read_idx_bytes(path: str | os.PathLike) -> bytes:
    """The decompressed IDX content of the file at `path` (what the SHA-256 checksums cover)."""
    return decompress(read_raw(path), path)


def inflate_limit(compressed: int) -> int:
    """The most bytes `compressed` bytes of gzip may inflate to: INFLATE_RATIO x, at least
    INFLATE_FLOOR, at most DATA_LIMIT (so a 1 MB bomb is stopped at 64 MB, not at 1 GiB)."""
    return min(DATA_LIMIT, max(INFLATE_FLOOR, INFLATE_RATIO * compressed))


def bounded_gunzip(raw: bytes, path: Path) -> bytes:
    """gzip.decompress, but a stream that would inflate beyond `inflate_limit(len(raw))` is a
    DataError (a gzip bomb: 10 MB of zeros inflate to 10 GB), refused when the output, inflated
    1 MiB at a time, reaches the limit: the bomb itself is never allocated. Concatenated gzip
    members are read as gzip does."""
    limit = inflate_limit(len(raw))  # (the trailer's size field is not trusted: it may be cut off)
    out = bytearray()
    while raw:
        inflater = zlib.decompressobj(wbits=31)  # 31: a gzip header and trailer
        while not inflater.eof:  # 1 MiB at a time: the refused bytes are never all held
            piece = inflater.decompress(raw, min(INFLATE_STEP, limit + 1 - len(out)))
            out += piece
            if len(out) > limit:
                _too_large(path, limit)
            raw = inflater.unconsumed_tail
            if not raw and not piece:
                break
        if not inflater.eof:
            raise EOFError("truncated gzip stream")
        raw = inflater.unused_data.lstrip(b"\0")  # padding after the last member is allowed
    return bytes(out)


def _too_large(path: Path, limit: int):
    raise DataError(_("{path}: the gzip data inflates to more than {limit:,} bytes, far more "
                      "than a dataset file of this size holds (a gzip bomb?); {fix}").format(
        path=path, limit=limit, fix=replace_hint()))


def gunzip(raw: bytes, path: Path, fix: str | None = None) -> bytes:
    """Decompress gzip `raw` read from `path`; a truncated or corrupt stream is a DataError
    ending in `fix` (default `replace_hint()`)."""
    fix = fix or replace_hint()
    try:
        return bounded_gunzip(raw, path)
    except EOFError:
        raise DataError(
            _("{path}: gzip stream is truncated ({n_raw} bytes; the download or copy was cut "
              "short); {fix}").format(
                path=path, n_raw=len(raw), fix=fix)
        ) from None
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise DataError(_("{path}: corrupt gzip data ({error}); {fix}").format(
                            path=path, error=exc, fix=fix)) from None


def parse_idx(content: bytes, path: str | os.PathLike = "<bytes>") -> np.ndarray:
    """Validate decompressed IDX `content` and return a read-only array viewing it.

    The array has the header's dims and the native-endian version of its type (uint8 stays a
    zero-copy view; wider types are byte-swapped into a copy).
    """
    n = len(content)
    if n < 4:
        raise DataError(_("{path}: only {n} bytes, too short for an IDX header; {fix}").format(
                            path=path, n=n, fix=replace_hint()))
    if content[0] != 0 or content[1] != 0:
        raise DataError(
            _("{path}: not an IDX file (magic bytes {hex}, expected 00 00 <type> <ndim>); "
              "{fix}").format(
                path=path, hex=content[:4].hex(' '), fix=replace_hint())
        )
    code, ndim = content[2], content[3]
    if code not in TYPE_CODES:
        raise DataError(
            _("{path}: unknown IDX type code 0x{code:02X} (expected one of {codes}); {fix}").format(
                path=path, code=code, codes=', '.join(f'0x{c:02X}' for c in TYPE_CODES),
                fix=replace_hint())
        )
    if ndim == 0:
        raise DataError(_("{path}: IDX header declares 0 dimensions; {fix}").format(
                            path=path, fix=replace_hint()))
    header = 4 + 4 * ndim
    if n < header:
        raise DataError(
            _("{path}: truncated IDX header ({n} bytes, the {ndim} dimensions need {header}); "
              "{fix}").format(
                path=path, n=n, ndim=ndim, header=header, fix=replace_hint())
        )
    dims = tuple(int(d) for d in np.frombuffer(content, dtype=">u4", count=ndim, offset=4))
    dtype = TYPE_CODES[code]
    expected = dtype.itemsize
    for d in dims:  # Python ints: no overflow however large the header's claims
        expected *= d
    present = n - header
    if present != expected:
        what = _("truncated") if present < expected else _("longer than its header says")
        raise DataError(
            _("{path}: {what}: header declares shape {dims} of {name} ({expected} data bytes) but "
              "{present} are present; {fix}").format(
                path=path, what=what, dims=dims, name=dtype.name, expected=expected, present=present,
                fix=replace_hint())
        )
    array = np.frombuffer(content, dtype=dtype, offset=header).reshape(dims)
    if dtype.itemsize > 1:
        array = array.astype(dtype.newbyteorder("="))
        array.flags.writeable = False
    return array


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read and validate any IDX file (`.gz` or not): a read-only array of the header's shape."""
    return parse_idx(read_idx_bytes(path), path)


def check_images(array: np.ndarray, path: str | os.PathLike, shape=(28, 28)) -> np.ndarray:
    """Check `array` is (N, *shape) uint8 images; return it unchanged."""
    if array.dtype != np.uint8 or array.ndim != 1 + len(shape) or array.shape[1:] != shape:
        want = "×".join(map(str, shape))
        raise DataError(
            _("{path}: expected uint8 images of {want} pixels, shape (N, {want}), found {name} of "
              "shape {shape}; is this a labels file or another dataset? Use the images file here").format(
                path=path, want=want, name=array.dtype.name, shape="×".join(map(str, array.shape)))
        )
    return array


def check_labels(array: np.ndarray, path: str | os.PathLike, n_classes: int = 10) -> np.ndarray:
    """Check `array` is (N,) integer labels with every value in [0, n_classes); return it."""
    if array.ndim != 1 or array.dtype.kind not in "iu":
        raise DataError(
            _("{path}: expected a 1-D array of integer labels, found {name} of shape {shape}; is "
              "this an images file? Use the labels file here").format(
                path=path, name=array.dtype.name, shape=array.shape)
        )
    if array.size:
        lo, hi = int(array.min()), int(array.max())
        if lo < 0 or hi >= n_classes:
            bad = lo if lo < 0 else hi
            raise DataError(
                _("{path}: label value {bad} is out of range (expected 0..{top}); {fix}").format(
                    path=path, bad=bad, top=n_classes - 1, fix=replace_hint())
            )
    return array


def read_images(path: str | os.PathLike, shape: tuple[int, ...] = (28, 28)) -> np.ndarray:
    """Read an IDX images file: (N, *shape) uint8, read-only."""
    return check_images(read_idx(path), path, shape)


def read_labels(path: str | os.PathLike, n_classes: int = 10) -> np.ndarray:
    """Read an IDX labels file: (N,) uint8 with values in [0, n_classes), read-only."""
    return check_labels(read_idx(path), path, n_classes)


def encode_idx(array: np.ndarray) -> bytes:
    """The IDX bytes (header + big-endian data) of `array`, uncompressed."""
    array = np.asarray(array)
    code = _CODE_OF_KIND.get((array.dtype.kind, array.dtype.itemsize))
    if code is None or array.dtype.kind == "b":
        raise DataError(
            _("cannot write dtype {dtype} as IDX (supported: uint8, int8, int16, int32, float32, "
              "float64); convert the array first").format(
                dtype=array.dtype)
        )
    if not 1 <= array.ndim <= 255:
        raise DataError(_("cannot write a {ndim}-dimensional array as IDX (1 to 255)").format(
                            ndim=array.ndim))
    header = bytes([0, 0, code, array.ndim]) + np.asarray(array.shape, dtype=">u4").tobytes()
    return header + np.ascontiguousarray(array, dtype=TYPE_CODES[code]).tobytes()


def write_idx(path: str | os.PathLike, array: np.ndarray) -> Path:
    """Write `array` as an IDX file, gzip-compressed when the name ends in `.gz`; return the path.

    `mtime=0` makes the gzip bytes reproducible (the same array always gives the same file).
    """
    path = Path(path)
    content = encode_idx(array)
    if path.suffix == ".gz":
        content = gzip.compress(content, compresslevel=6, mtime=0)
    path.write_bytes(content)
    return path
