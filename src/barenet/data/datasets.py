"""Datasets by name: where their files are, what they must contain, and loading them.

    DATASETS                         name -> DatasetSpec ("mnist", "fashion-mnist")
    resolve_data_dir(name, data_dir=None) -> Path
    load_dataset(name, data_dir=None, download=True, progress=True) -> Dataset
    load_csv_dataset(train_csv, test_csv, name=..., class_names=...) -> Dataset

Where the files are looked for, first match wins:

1. `data_dir` (the `--data-dir` flag),
2. the environment variable `BARENET_DATA_DIR`,
3. for `mnist`, the copy bundled inside the package (`barenet/data/mnist/`), so that
   `pip install` then `barenet train` works with no network,
4. the user cache `$XDG_CACHE_HOME/barenet/<name>` (default `~/.cache/barenet/<name>`).

In the directory, each file is found under its distributed name (`train-images-idx3-ubyte.gz`),
uncompressed (`train-images-idx3-ubyte`), or with Kaggle's dot (`train-images.idx3-ubyte`).
Missing files are downloaded (see `download.py`) when `download=True`. A directory holding
`train.csv` and `test.csv` (or `mnist_train.csv` and `mnist_test.csv`, the names of the popular
CSV copy of MNIST; `fashion-mnist_train.csv` ... for Fashion-MNIST), gzipped or not, instead of
IDX files is read as CSV (`label,pixel0,...,pixel783`, the format `csv_import.py` reads, as
`idx.py` reads IDX); such data is never canonical. The message for missing files names both.

Every file is verified on every load: SHA-256 of the decompressed content costs 30–60 ms for all
of MNIST on this machine (hashlib, SHA extensions), less than keeping a verification record in
sync with the files would cost in code and in ways to go stale. Checksum policy:

* the bundled copy and the user cache must be canonical (a mismatch there is corruption: fatal);
* a directory the user chose (`data_dir`, `BARENET_DATA_DIR`) may hold valid IDX files that are
  not the canonical content (a slice of MNIST, a custom set): it loads, with `canonical=False`
  and a one-line note in `Dataset.notes` for the caller to print;
* a file that is another dataset's canonical file (MNIST asked for, Fashion-MNIST found) is fatal;
* downloads must match exactly (see `download.py`).

Arrays of a `Dataset` are read-only (images are zero-copy views on the decompressed bytes), so
the verified data cannot be changed by accident; `prepare.py` returns new arrays.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from barenet.data.checksums import (
    FASHION_MNIST_CHECKSUMS,
    MNIST_CHECKSUMS,
    NOT_CANONICAL,
    UNVERIFIED,
    VERIFIED,
    Checksum,
    digest,
    file_status,
    sha256_hex,
)
from barenet.data.csv_import import parse_csv, read_csv_bytes
from barenet.data.idx import (
    check_images,
    check_labels,
    decompress,
    parse_idx,
    read_raw,
)
from barenet.errors import DataError
from barenet.i18n import _

ENV_VAR = "BARENET_DATA_DIR"
BUNDLED_DIR = Path(__file__).resolve().parent / "mnist"
ROLES = ("train_images", "train_labels", "test_images", "test_labels")
IDX_FILES = {
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}


def csv_layout() -> str:
    """One line of a CSV file, for messages."""
    return _("label,pixel0,...,pixel783 per row")


def csv_names(name: str) -> list[tuple[str, str]]:
    """(train, test) CSV file names recognised for dataset `name`: the generic pair, and the
    one of the popular CSV copies (`mnist_train.csv`, Kaggle's `fashion-mnist_train.csv`)."""
    return [("train.csv", "test.csv"), (f"{name}_train.csv", f"{name}_test.csv")]


def csv_hint(name: str) -> str:
    """The CSV alternative, for the message about missing IDX files."""
    pairs = _(", or ").join(_("{train} and {test}").format(train=train, test=test)
                            for train, test in csv_names(name))
    return _("CSV works too: {pairs}, {layout}").format(pairs=pairs, layout=csv_layout())


def status_words(status: str) -> str:
    """A file's checksum status ("verified", "not canonical", "unverified") for a message."""
    return {"verified": _("verified"), "not canonical": _("not canonical"),
            "unverified": _("unverified")}.get(status, status)


def find_csv_pair(directory: Path, name: str) -> tuple[Path, Path] | None:
    """The (train, test) CSV files of `directory` (also .gz), or None; half a pair is a DataError."""
    for train, test in csv_names(name):
        for suffix in ("", ".gz"):
            pair = (directory / f"{train}{suffix}", directory / f"{test}{suffix}")
            present = [path.is_file() for path in pair]
            if all(present):
                return pair
            if any(present):
                have, lack = pair if present[0] else pair[::-1]
                raise DataError(_("{directory}: {have} is there but not {lack}; put both CSV files "
                                  "({layout}) in the directory").format(
                                    directory=directory, have=have.name, lack=lack.name,
                                    layout=csv_layout()))
    return None


@dataclass(frozen=True)
class DatasetSpec:
    """What a named dataset is: its files, their checksums, its classes and where to fetch it.

    files: role -> distributed file name (gzip), roles as in `ROLES`.
    checksums: file name -> canonical `Checksum`.
    mirrors: base URLs, tried in order, each ending in "/".
    bundled: directory of a copy shipped inside the package, or None.
    """

    name: str
    title: str
    class_names: tuple[str, ...]
    checksums: dict[str, Checksum]
    mirrors: tuple[str, ...]
    files: dict[str, str] = field(default_factory=lambda: dict(IDX_FILES))
    image_shape: tuple[int, int] = (28, 28)
    bundled: Path | None = None

    @property
    def n_classes(self) -> int:
        return len(self.class_names)


DATASETS: dict[str, DatasetSpec] = {
    "mnist": DatasetSpec(
        name="mnist",
        title="MNIST",
        class_names=tuple(str(d) for d in range(10)),
        checksums=MNIST_CHECKSUMS,
        mirrors=(
            "https://ossci-datasets.s3.amazonaws.com/mnist/",
            "https://storage.googleapis.com/cvdf-datasets/mnist/",
        ),
        bundled=BUNDLED_DIR,
    ),
    "fashion-mnist": DatasetSpec(
        name="fashion-mnist",
        title="Fashion-MNIST",
        class_names=(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
        ),
        checksums=FASHION_MNIST_CHECKSUMS,
        mirrors=(
            "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
            "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
        ),
    ),
}


@dataclass(frozen=True)
class FileReport:
    """One file as loaded: where, its status against the canonical checksum, what it holds.

    status: "verified", "not canonical" or "unverified" (no checksum applies: an uncompressed
    Fashion-MNIST file, a CSV). downloaded: fetched by this call.
    """

    role: str
    path: Path
    status: str
    sha256: str
    shape: tuple[int, ...]
    downloaded: bool = False


@dataclass
class Dataset:
    """A loaded dataset: read-only arrays plus where they came from and how they checked out.

    train_images: (60000, 28, 28) uint8    train_labels: (60000,) int64 in [0, n_classes)
    test_images:  (10000, 28, 28) uint8    test_labels:  (10000,) int64
    canonical: every file matched its canonical checksum.
    sha256: file name -> SHA-256 of its decompressed content.
    notes: one-line remarks for the caller to show (e.g. "not the canonical data").
    source: "argument", "environment", "bundled", "cache" or "csv".
    """

    name: str
    directory: Path
    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    class_names: list[str]
    canonical: bool
    sha256: dict[str, str]
    notes: list[str] = field(default_factory=list)
    files: dict[str, FileReport] = field(default_factory=dict)
    source: str = "argument"

    @property
    def n_classes(self) -> int:
        return len(self.class_names)


def get_spec(name: str) -> DatasetSpec:
    """The `DatasetSpec` called `name`, or a `DataError` listing the known names."""
    try:
        return DATASETS[name]
    except KeyError:
        raise DataError(
            _("unknown dataset {name!r}; choose one of: {DATASETS}").format(
                name=name, DATASETS=', '.join(DATASETS))
        ) from None


def cache_dir(name: str) -> Path:
    """`$XDG_CACHE_HOME/barenet/<name>`, or `~/.cache/barenet/<name>` when that is unset."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "barenet" / name


def locate(
    name: str, data_dir: str | os.PathLike | None = None, *, use_bundled: bool = True
) -> tuple[Path, str]:
    """(directory, source) for dataset `name`, by the precedence in the module docstring.

    source is "argument", "environment", "bundled" or "cache".
    """
    spec = get_spec(name)
    if data_dir is not None and str(data_dir) != "":
        return Path(data_dir).expanduser().absolute(), "argument"
    env = os.environ.get(ENV_VAR, "")
    if env:
        return Path(env).expanduser().absolute(), "environment"
    if use_bundled and spec.bundled is not None:
        if all((spec.bundled / f).is_file() for f in spec.files.values()):
            return spec.bundled, "bundled"
    return cache_dir(name), "cache"


def resolve_data_dir(
    name: str = "mnist", data_dir: str | os.PathLike | None = None, *, use_bundled: bool = True
) -> Path:
    """The directory dataset `name` is read from (see `locate` for the precedence)."""
    return locate(name, data_dir, use_bundled=use_bundled)[0]


def find_file(directory: Path, distributed_name: str) -> Path | None:
    """The file for `distributed_name` in `directory`: as distributed, uncompressed or Kaggle's.

    E.g. "train-images-idx3-ubyte.gz", "train-images-idx3-ubyte", "train-images.idx3-ubyte".
    """
    plain = distributed_name.removesuffix(".gz")
    for candidate in (distributed_name, plain, plain.replace("-idx", ".idx")):
        path = directory / candidate
        try:
            if path.exists():
                return path
        except OSError as exc:  # e.g. no permission to look inside the directory
            raise DataError(
                _("{directory}: cannot be searched ({strerror}); check its permissions").format(
                    directory=directory, strerror=exc.strerror)
            ) from None
    return None


def load_dataset(
    name: str = "mnist",
    data_dir: str | os.PathLike | None = None,
    download: bool = True,
    progress: bool = True,
    *,
    use_bundled: bool = True,
    mirrors: Sequence[str] | None = None,
    timeout: float = 30.0,
    retries: int = 2,
    backoff: float = 1.0,
) -> Dataset:
    """Find, (download,) verify, validate and load dataset `name`.

    data_dir: `--data-dir`; None follows the precedence of the module docstring.
    download: fetch missing files from `mirrors` (default: the dataset's public mirrors).
    progress: show tqdm progress bars on stderr while downloading.
    use_bundled: False skips the copy inside the package (MNIST then lives in the user cache).
    Raises `DataError` (one line: the file, what is wrong, the fix) on anything wrong.
    """
    spec = get_spec(name)
    directory, source = locate(name, data_dir, use_bundled=use_bundled)
    if directory.exists() and not directory.is_dir():
        raise DataError(_("{directory}: is a file, not a directory; point --data-dir at a directory").format(
                            directory=directory))

    found = {role: find_file(directory, spec.files[role]) for role in ROLES}
    csv_pair = find_csv_pair(directory, name) if not any(found.values()) and directory.is_dir() else None
    if csv_pair:
        return load_csv_dataset(*csv_pair, name=name, class_names=spec.class_names,
                                image_shape=spec.image_shape)
    missing = [spec.files[role] for role in ROLES if found[role] is None]
    if missing:
        if not download:
            raise DataError(
                _("{directory}: missing {missing} of {title}; put the files there, point --data-dir "
                  "at a directory that holds them, or let barenet download them (no "
                  "--no-download); {csv_hint}").format(directory=directory, missing=", ".join(missing),
                                                        title=spec.title, csv_hint=csv_hint(name))
            )
        from barenet.data.download import download_files

        try:
            download_files(
                missing, directory, spec.mirrors if mirrors is None else mirrors, spec.checksums,
                dataset=spec.title, all_names=list(spec.files.values()), progress=progress,
                timeout=timeout, retries=retries, backoff=backoff,
            )
        except DataError as exc:
            raise DataError(_("{exc}; {csv_hint}").format(exc=exc, csv_hint=csv_hint(name))) from None
        found = {role: find_file(directory, spec.files[role]) for role in ROLES}
    return _load_idx_dataset(spec, directory, source, found, downloaded=set(missing))


def _load_idx_dataset(spec: DatasetSpec, directory: Path, source: str,
                      found: dict[str, Path | None], downloaded: set[str]) -> Dataset:
    """The four IDX files `found` (role -> path) read, checked and assembled into a Dataset."""
    arrays: dict[str, np.ndarray] = {}
    reports: dict[str, FileReport] = {}
    for role in ROLES:
        path = found[role]
        assert path is not None
        array, report = _load_file(spec, role, path, source, spec.files[role] in downloaded)
        arrays[role], reports[role] = array, report

    for split in ("train", "test"):
        images, labels = arrays[f"{split}_images"], arrays[f"{split}_labels"]
        if len(images) != len(labels):
            raise DataError(
                _("{path}: {n_labels} labels for {n_images} images in {name}; the two files must "
                  "come from the same dataset, replace the wrong one").format(
                    path=reports[f"{split}_labels"].path, n_labels=len(labels),
                    n_images=len(images), name=reports[f"{split}_images"].path.name)
            )
    notes = []
    odd = [_("{name} {status}").format(name=r.path.name, status=status_words(r.status))
           for r in reports.values() if r.status != VERIFIED]
    if odd:
        notes.append(_("note: {directory} does not hold the canonical {title} ({files}); it loads, "
                       "but results are not comparable with published figures").format(
                         directory=directory, title=spec.title, files=_(", ").join(odd)))
    return _assemble(spec.name, directory, spec.class_names, arrays, reports, notes, source)


def load_csv_dataset(
    train_csv: str | os.PathLike,
    test_csv: str | os.PathLike,
    *,
    name: str = "csv",
    class_names: Sequence[str] = tuple(str(d) for d in range(10)),
    image_shape: tuple[int, int] = (28, 28),
) -> Dataset:
    """A `Dataset` from two CSV files (`csv_import.py`'s format), never canonical.

    Its sha256 is of each file's content (gunzipped if it is gzip), as for IDX files.
    """
    train_csv, test_csv = Path(train_csv), Path(test_csv)
    arrays: dict[str, np.ndarray] = {}
    reports: dict[str, FileReport] = {}
    for split, path in (("train", train_csv), ("test", test_csv)):
        content = read_csv_bytes(path)
        images, labels = parse_csv(content, path, len(class_names), image_shape)
        content_sha256 = sha256_hex(content)
        for role, array in ((f"{split}_images", images), (f"{split}_labels", labels)):
            arrays[role] = array
            reports[role] = FileReport(role, path, UNVERIFIED, content_sha256, array.shape)
    notes = [_("note: {directory} holds CSV files, not the canonical IDX files; it loads, but "
               "results are not comparable with published figures").format(directory=train_csv.parent)]
    return _assemble(name, train_csv.parent.absolute(), class_names, arrays, reports, notes, "csv")


def _assemble(name: str, directory: Path, class_names: Sequence[str], arrays: dict[str, np.ndarray],
              reports: dict[str, FileReport], notes: list[str], source: str) -> Dataset:
    """The Dataset of checked arrays (role -> array) and their files' reports (role -> report)."""
    return Dataset(
        name=name,
        directory=directory,
        train_images=arrays["train_images"],
        train_labels=arrays["train_labels"],
        test_images=arrays["test_images"],
        test_labels=arrays["test_labels"],
        class_names=list(class_names),
        canonical=all(r.status == VERIFIED for r in reports.values()),
        sha256={r.path.name: r.sha256 for r in reports.values()},
        notes=notes,
        files=reports,
        source=source,
    )


def _load_file(
    spec: DatasetSpec, role: str, path: Path, source: str, downloaded: bool
) -> tuple[np.ndarray, FileReport]:
    """Read, checksum and validate one file; images stay uint8 views, labels become int64."""
    raw = read_raw(path)
    content = decompress(raw, path)
    content_sha256 = sha256_hex(content)
    checksum = spec.checksums.get(spec.files[role])
    status = file_status(checksum, raw, content, content_sha256)
    if status != VERIFIED:
        _refuse_other_dataset(spec, role, path, raw, content, content_sha256)
    if status == NOT_CANONICAL:
        if source in ("bundled", "cache"):
            fix = (
                _("reinstall barenet (pip install --force-reinstall barenet)")
                if source == "bundled"
                else _("delete it so that it is downloaded again")
            )
            raise DataError(
                _("{path}: content does not match the canonical {title} ({what} is {digest}, "
                  "expected {expected}); the file is corrupt, {fix}").format(
                    path=path, title=spec.title, what=checksum.describe(),
                    digest=digest(checksum, raw, content, content_sha256),
                    expected=checksum.hexdigest, fix=fix)
            )
    array = parse_idx(content, path)
    if role.endswith("images"):
        check_images(array, path, spec.image_shape)
    else:
        check_labels(array, path, spec.n_classes)
        array = array.astype(np.int64)
        array.flags.writeable = False
    report = FileReport(role, path, status, content_sha256, array.shape, downloaded)
    return array, report


def _refuse_other_dataset(spec, role, path, raw, content, content_sha256) -> None:
    """Raise when `path` is the canonical file of another dataset (MNIST for Fashion-MNIST)."""
    for other in DATASETS.values():
        if other.name == spec.name:
            continue
        checksum = other.checksums.get(other.files.get(role, ""))
        status = file_status(checksum, raw, content, content_sha256)
        if checksum is not None and status == VERIFIED:
            raise DataError(
                _("{path}: this is {other}'s {role} file, not {wanted}'s; point --data-dir (or "
                  "{variable}) at a {wanted} directory, or ask for --dataset {name}").format(
                    path=path, other=other.title, role=role.replace("_", " "), wanted=spec.title,
                    variable=ENV_VAR, name=other.name)
            )
