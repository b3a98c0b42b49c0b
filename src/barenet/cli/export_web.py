"""`barenet export MODEL --web FILE.js`: a trained model as the weights of the site's in-page network.

    barenet export MODEL --web FILE.js [--float16] [--overwrite]

FILE.js is a script that sets `window.BARENET_NETWORK` (a page opened from disk can load it);
another suffix writes the same data as JSON. `--float16` stores the weights in half precision,
half the size. See `barenet.web.weights` for the format; `python docs/build.py` puts the file
at docs/site/static/network-weights.js on the site.
"""

from __future__ import annotations

import argparse

from barenet.i18n import _


def add_flags(targets, parser: argparse.ArgumentParser) -> None:
    """--web (one of the export targets) and --float16."""
    targets.add_argument("--web", metavar="FILE.js",
                         help=_("where to write the network for the site's in-page demo (.js or .json)"))
    parser.add_argument("--float16", action="store_true",
                        help=_("with --web: store the weights in half precision (half the size)"))


def run(args: argparse.Namespace) -> int:
    """Load MODEL, write its network for the page atomically, say where it went."""
    from barenet.files import check_output_path
    from barenet.saving.modelfile import load
    from barenet.web.weights import write_web

    out = check_output_path(args.web, "--web", overwrite=args.overwrite)  # before any work
    trained = load(args.model)
    write_web(trained, out, float16=args.float16)
    size = out.stat().st_size / 1e6
    print(_("wrote {path}: {model}, {dtype} weights, {size:.1f} MB").format(
        path=out, model=trained.model.describe(), dtype="float16" if args.float16 else "float32",
        size=size))
    return 0
