"""Data: MNIST and its family, fetched, verified and checked before use.

    >>> from barenet.data import load_dataset
    >>> ds = load_dataset("mnist")                 # the copy bundled in the package, verified
    >>> ds.train_images.shape, ds.train_labels.shape, ds.canonical
    ((60000, 28, 28), (60000,), True)
    >>> from barenet.data.prepare import to_float01
    >>> to_float01(ds.test_images).shape            # float32 in [0, 1]
    (10000, 784)

| module          | what it offers                                                          |
|-----------------|-------------------------------------------------------------------------|
| `idx.py`        | the IDX format: read (validating before trusting), write                |
| `checksums.py`  | canonical checksums of MNIST and Fashion-MNIST, and the check           |
| `datasets.py`   | datasets by name, where their files are, `load_dataset` → `Dataset`     |
|                 | (from IDX files, or from two CSV files: `load_csv_dataset`)             |
| `download.py`   | mirrors, retries, verification before a file appears                    |
| `csv_import.py` | the `label,pixel0,...,pixel783` CSV format: read, validate              |
| `prepare.py`    | float pixels, standardisation, class subsets, stratified split          |

Nothing here prints (except tqdm download bars on stderr, `progress=False` turns them off) or
imports `barenet.nn`; every problem is a one-line `barenet.errors.DataError`.
"""

from __future__ import annotations

from barenet.data.datasets import (
    DATASETS,
    ENV_VAR,
    Dataset,
    DatasetSpec,
    FileReport,
    cache_dir,
    load_dataset,
    locate,
    resolve_data_dir,
)

__all__ = [
    "DATASETS",
    "ENV_VAR",
    "Dataset",
    "DatasetSpec",
    "FileReport",
    "cache_dir",
    "load_dataset",
    "locate",
    "resolve_data_dir",
]
