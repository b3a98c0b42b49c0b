"""`barenet export`: a trained model as an ONNX graph.

    barenet export MODEL --onnx FILE.onnx [--overwrite]
    barenet export MODEL --web FILE.js [--float16] [--overwrite]     (see barenet.cli.export_web)

The graph takes (N, 784) float32 pixels in [0, 1], what `barenet predict` gives the network, and
returns the class probabilities (N, K); see `barenet.saving.export_onnx`. Needs the optional extra
`pip install 'barenet[onnx]'`. A broken model file, a missing extra, or an output that exists
(without --overwrite) or is not a regular file is one line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
from typing import Any

from barenet.cli import export_web, summary
from barenet.errors import ConfigError
from barenet.i18n import _


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add `barenet export` and its flags."""
    parser = subparsers.add_parser(
        "export",
        help=summary("export"),
        description=_("Export a model file as ONNX (pixels (N, 784) in [0, 1] in, probabilities out), "
                      "or as the network of the site's in-page demo (--web)."),
    )
    parser.add_argument("model", metavar="MODEL", help=_("a model file written by `barenet train`"))
    targets = parser.add_mutually_exclusive_group(required=True)
    targets.add_argument("--onnx", metavar="FILE.onnx", help=_("where to write the ONNX graph"))
    export_web.add_flags(targets, parser)
    parser.add_argument("--overwrite", action="store_true", help=_("replace an existing output file"))
    return parser


def run(args: argparse.Namespace) -> int:
    """Load MODEL, build and check its ONNX graph, write it atomically, say where it went."""
    if args.web is not None:
        return export_web.run(args)
    try:
        import onnx  # noqa: F401
    except ModuleNotFoundError:
        raise ConfigError(_("ONNX export needs the onnx package: pip install 'barenet[onnx]'")) from None
    from barenet.files import check_output_path
    from barenet.saving.export_onnx import export
    from barenet.saving.modelfile import load

    out = check_output_path(args.onnx, "--onnx", overwrite=args.overwrite)  # before any work
    trained = load(args.model)
    export(trained, out)
    print(_("wrote {out}: {network}, input pixels (N, {inputs}) in [0, 1], output probabilities "
            "(N, {outputs})").format(out=out, network=trained.model.describe(),
                                     inputs=trained.model.input_size(),
                                     outputs=trained.model.output_size()))
    return 0
