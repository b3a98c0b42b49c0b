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
from barenet.cli.columns import left, right, width
from barenet.i18n import _


def source_name(source: str) -> str:
    """Where the files were found, in words."""
    return {
        "argument": _("from --data-dir"),
        "environment": _("from $BARENET_DATA_DIR"),
        "bundled": _("the copy inside the package"),
        "cache": _("the user cache"),
        "csv": _("CSV files"),
    }.get(source, source)


def status_name(status: str) -> str:
    """A file's checksum status ("verified", "not canonical", "unverified"), in words."""
    return {"verified": _("verified"), "not canonical": _("not canonical"),
            "unverified": _("unverified")}.get(status, status)


def register(subparsers) -> argparse.ArgumentParser:
    """Add `barenet data` and its flags."""
    parser = subparsers.add_parser(
        "data",
        help=summary("data"),
        description=_(
            "Show where a dataset's files are, whether they match the canonical checksums, "
            "how many images each split holds and its class balance; download missing files. "
            "Exit status 1 with one message when anything is wrong."
        ),
    )
    parser.add_argument(
        "--dataset", default="mnist", choices=("mnist", "fashion-mnist"),
        help=_("dataset name (default: mnist)"),
    )
    parser.add_argument(
        "--data-dir", default=None, metavar="DIR",
        help=_("directory holding the four IDX files (or train.csv and test.csv); default: "
               "$BARENET_DATA_DIR, else the copy bundled with barenet (mnist), else "
               "~/.cache/barenet/NAME"),
    )
    parser.add_argument(
        "--no-download", dest="download", action="store_false",
        help=_("report missing files instead of downloading them"),
    )
    parser.add_argument(
        "--no-bundled", dest="bundled", action="store_false",
        help=_("ignore the MNIST copy inside the package (use, and download into, the user cache)"),
    )
    parser.add_argument(
        "--mirror", action="append", default=None, metavar="URL",
        help=_("download from this base URL instead of the public mirrors (repeatable, in order)"),
    )
    parser.add_argument(
        "--no-progress", dest="progress", action="store_false", help=_("no download progress bar")
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
    print(_("{dataset} in {directory} ({source})").format(dataset=args.dataset, directory=ds.directory,
                                                          source=source_name(ds.source)))
    name_width = max(width(_("file")), *(len(r.path.name) for r in ds.files.values()))
    print(f"  {left(_('file'), name_width)}  {left(_('status'), 26)}  {_('shape')}")
    seen = set()
    for report in ds.files.values():
        if report.path in seen:  # a CSV file holds both images and labels
            continue
        seen.add(report.path)
        status = status_name(report.status) + (_(", downloaded") if report.downloaded else "")
        shape = "×".join(str(d) for d in report.shape)
        print(f"  {report.path.name:<{name_width}}  {left(status, 26)}  {shape}")
    train = np.bincount(ds.train_labels, minlength=ds.n_classes)
    test = np.bincount(ds.test_labels, minlength=ds.n_classes)
    cw = max(5, width(_("class")), width(_("total")), *(len(c) for c in ds.class_names))
    print(f"  {left(_('class'), cw)}  {right(_('train'), 13)}  {right(_('test'), 13)}")
    for c, name in enumerate(ds.class_names):
        print(
            f"  {name:<{cw}}  {train[c]:>6} {100 * train[c] / max(1, train.sum()):5.1f}%"
            f"  {test[c]:>6} {100 * test[c] / max(1, test.sum()):5.1f}%"
        )
    print(f"  {left(_('total'), cw)}  {train.sum():>6}         {test.sum():>6}")
    print(_("canonical: {answer}").format(answer=_("yes") if ds.canonical else _("no")))
    for note in ds.notes:
        print(note, file=sys.stderr)
    return 0
