"""`barenet data`: show what dataset files are where, verified or not, downloading what is missing.

    barenet data [--dataset NAME] [--data-dir DIR] [--no-download] [--no-bundled] [--mirror URL]

Prints, on stdout, the directory and where it came from, each file with its status (verified,
not canonical, unverified, downloaded) and shape, and the class balance of both splits; a note
on stderr when the data is not the canonical one. Anything wrong is one line on stderr and exit
status 1 (by the dispatcher). This is how a user checks a directory before training.
"""

from __future__ import annotations

import argparse

from barenet.cli import summary

SOURCES = {
    "argument": "from --data-dir",
    "environment": "from $BARENET_DATA_DIR",
    "bundled": "the copy inside the package",
    "cache": "the user cache",
    "csv": "CSV files",
}


def register(subparsers) -> argparse.ArgumentParser:
    """Add `barenet data` and its flags."""
    parser = subparsers.add_parser(
        "data",
        help=summary("data"),
        description=(
            "Show where a dataset's files are, whether they match the canonical checksums, "
            "how many images each split holds and its class balance; download missing files. "
            "Exit status 1 with one message when anything is wrong."
        ),
    )
    parser.add_argument(
        "--dataset", default="mnist", choices=("mnist", "fashion-mnist"),
        help="dataset name (default: mnist)",
    )
    parser.add_argument(
        "--data-dir", default=None, metavar="DIR",
        help="directory holding the four IDX files (or train.csv and test.csv); default: "
        "$BARENET_DATA_DIR, else the copy bundled with barenet (mnist), else "
        "~/.cache/barenet/NAME",
    )
    parser.add_argument(
        "--no-download", dest="download", action="store_false",
        help="report missing files instead of downloading them",
    )
    parser.add_argument(
        "--no-bundled", dest="bundled", action="store_false",
        help="ignore the MNIST copy inside the package (use, and download into, the user cache)",
    )
    parser.add_argument(
        "--mirror", action="append", default=None, metavar="URL",
        help="download from this base URL instead of the public mirrors (repeatable, in order)",
    )
    parser.add_argument(
        "--no-progress", dest="progress", action="store_false", help="no download progress bar"
    )
    return parser


def run(args: argparse.Namespace) -> int:
    """Load (downloading if needed) and describe the dataset; 0 when it is usable."""
    import sys

    import numpy as np

    from barenet.data import load_dataset

    ds = load_dataset(
        args.dataset, args.data_dir, download=args.download, progress=args.progress,
        use_bundled=args.bundled, mirrors=args.mirror,
    )
    print(f"{args.dataset} in {ds.directory} ({SOURCES.get(ds.source, ds.source)})")
    width = max(len(r.path.name) for r in ds.files.values())
    print(f"  {'file':<{width}}  {'status':<26}  shape")
    seen = set()
    for report in ds.files.values():
        if report.path in seen:  # a CSV file holds both images and labels
            continue
        seen.add(report.path)
        status = report.status + (", downloaded" if report.downloaded else "")
        shape = "×".join(str(d) for d in report.shape)
        print(f"  {report.path.name:<{width}}  {status:<26}  {shape}")
    train = np.bincount(ds.train_labels, minlength=ds.n_classes)
    test = np.bincount(ds.test_labels, minlength=ds.n_classes)
    cw = max(5, *(len(c) for c in ds.class_names))
    print(f"  {'class':<{cw}}  {'train':>13}  {'test':>13}")
    for c, name in enumerate(ds.class_names):
        print(
            f"  {name:<{cw}}  {train[c]:>6} {100 * train[c] / max(1, train.sum()):5.1f}%"
            f"  {test[c]:>6} {100 * test[c] / max(1, test.sum()):5.1f}%"
        )
    print(f"  {'total':<{cw}}  {train.sum():>6}         {test.sum():>6}")
    print(f"canonical: {'yes' if ds.canonical else 'no'}")
    for note in ds.notes:
        print(note, file=sys.stderr)
    return 0
