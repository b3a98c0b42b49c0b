"""`barenet predict`: read the digit in one or more image files.

    barenet predict MODEL IMAGE... [--json] [--show OUT.png]

Each image goes through `barenet.digits.prepare_image` (dark or light ink, any size, cropped,
fitted into 20×20 and centred in 28×28 as MNIST was) and then through the model. Output, one line
per image:

    my_seven.jpg: 7 (98.7%)   next: 1 (0.9%), 9 (0.2%)

`--json` prints one JSON list instead, one object per image: {"file", "digit", "probabilities"
(one per class, in class order, summing to 1), "notes"}, or {"file", "error", "notes"} for an
image that could not be read. `--show OUT.png` also draws, one row per image, the picture beside
the 28×28 input the network reads, with its guess.

An image that cannot be read (missing, empty, truncated, not an image, blank, too small, a
decompression bomb) is one `barenet: error:` line on stderr; the other images are still read and
the exit status is 1. Notes (first frame of an animation used, specks ignored) go to stderr.

Start-up time matters here (one image should take well under half a second, Python included):
NumPy, Pillow and safetensors are imported inside `run`, matplotlib only for `--show`.
"""

from __future__ import annotations

import argparse
from typing import Any

from barenet.cli import summary
from barenet.i18n import _


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add `barenet predict` and its flags."""
    parser = subparsers.add_parser(
        "predict",
        help=summary("predict"),
        description=_("Read the handwritten digit in each image: it is cropped, scaled and "
                      "centred the way MNIST was made, then classified. Prints the digit, its "
                      "probability and the next two guesses."),
    )
    parser.add_argument("model", metavar="MODEL", help=_("a model file written by `barenet train`"))
    parser.add_argument("images", metavar="IMAGE", nargs="+",
                        help=_("image files (PNG, JPEG, GIF, BMP, TIFF, WebP, ...) of one digit "
                               "each"))
    parser.add_argument("--json", action="store_true",
                        help=_("print a JSON list: per file its digit, probabilities and notes, or "
                               "its error"))
    parser.add_argument("--show", metavar="OUT.png", default=None,
                        help=_("also save a figure: each image beside the 28×28 input the network "
                               "reads"))
    return parser


def ranked(probabilities, class_names: list[str], top: int = 3) -> list[tuple[str, float]]:
    """The `top` most probable (class name, probability) pairs, most probable first."""
    order = sorted(range(len(probabilities)), key=lambda k: -probabilities[k])[:top]
    return [(class_names[k], float(probabilities[k])) for k in order]


def text_line(file: str, probabilities, class_names: list[str]) -> str:
    """`file: 7 (98.7%)   next: 1 (0.9%), 9 (0.2%)`."""
    (best, p), *others = ranked(probabilities, class_names)
    line = _("{file}: {digit} ({p:.1%})").format(file=file, digit=best, p=p)
    if others:
        line += _("   next: {guesses}").format(guesses=_(", ").join(
            _("{digit} ({p:.1%})").format(digit=name, p=q) for name, q in others))
    return line


def run(args: argparse.Namespace) -> int:
    from barenet.cli import error
    from barenet.digits.recognize import check_image_model, class_names
    from barenet.saving import modelfile

    if args.show:  # before any work: a PNG file, never a FIFO, a device or a directory
        from barenet.files import check_output_path

        check_output_path(args.show, "--show", suffix=".png")
    trained = modelfile.load(args.model)
    check_image_model(trained, args.model)
    results = read_images(args.images)
    names = class_names(trained)
    classify(trained, [r for r in results if "pixels" in r], names)
    if args.json:
        print_json(results)
    else:
        for r in results:
            if "digit" in r:
                print(text_line(r["file"], r["probabilities"], names))
    read = [r for r in results if "digit" in r]
    if args.show:
        if read:
            save_figure(args.show, shown(read), names)
        else:
            error(_("no image could be read, so {path} was not written").format(path=args.show))
    return 1 if len(read) < len(results) else 0


def read_images(files: list[str]) -> list[dict[str, Any]]:
    """Per file, in the order given: {"file", "notes", "pixels" (28, 28)} or {"file", "error", "notes"}.

    An unreadable image is reported on stderr at once; notes go to stderr too.
    """
    import sys

    from barenet.cli import error
    from barenet.digits import prepare_image
    from barenet.errors import ImageError

    results: list[dict[str, Any]] = []
    for file in files:
        try:
            image = prepare_image(file)
        except ImageError as exc:
            error(str(exc))
            results.append({"file": file, "error": str(exc), "notes": []})
            continue
        for note in image.notes:
            print(_("barenet: note: {file}: {note}").format(file=file, note=note), file=sys.stderr)
        results.append({"file": file, "notes": list(image.notes), "pixels": image.pixels})
    return results


def classify(trained: Any, read: list[dict[str, Any]], names: list[str]) -> None:
    """Add "digit" and "probabilities" (one per class, summing to 1) to each result, in one batch."""
    if not read:
        return
    import numpy as np

    from barenet.digits.recognize import class_probabilities
    from barenet.nn import labels_from_outputs

    batch = np.stack([r["pixels"] for r in read])  # (n, 28, 28)
    proba = class_probabilities(trained.predict_proba(batch))  # (n, K)
    for r, row, label in zip(read, proba, labels_from_outputs(proba), strict=True):
        r["digit"] = names[int(label)]
        r["probabilities"] = row.tolist()


def print_json(results: list[dict[str, Any]]) -> None:
    """The --json listing: per file its digit, probabilities and notes, or its error."""
    import json

    keys = ("file", "digit", "probabilities", "error", "notes")
    print(json.dumps([{key: r[key] for key in keys if key in r} for r in results], indent=2))


SHOW_LIMIT = 24  # rows of the --show figure: its time and memory grow faster than its rows
SHOW_PIXELS = 256  # the picture as read is drawn at most this many pixels high and wide


def shown(read: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The images --show draws: the first SHOW_LIMIT (a note on stderr says so when there are more)."""
    import sys

    if len(read) > SHOW_LIMIT:
        print(_("barenet: note: --show draws the first {shown} of the {count} images read (the "
                "listing above has them all)").format(shown=SHOW_LIMIT, count=len(read)),
              file=sys.stderr)
    return read[:SHOW_LIMIT]


def thumbnail(gray: Any) -> Any:
    """A (H, W) picture cut down by a whole stride to at most SHOW_PIXELS on each side."""
    step = max(1, -(-max(gray.shape) // SHOW_PIXELS))  # ceil(max side / SHOW_PIXELS)
    return gray[::step, ::step]


def save_figure(path: str, results: list[dict[str, Any]], class_names: list[str]) -> None:
    """One row per image: the picture as read (grayscale) | the 28×28 input, titled with the guess."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from barenet.digits import load_image
    from barenet.errors import BarenetError

    n = len(results)
    fig = Figure(figsize=(5.2, 2.5 * n + 0.3), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(n, 2, squeeze=False)
    for (left, right), r in zip(axes, results, strict=True):
        gray = thumbnail(load_image(r["file"]).gray)  # (H, W), 0 = black: the picture as read
        left.imshow(gray, cmap="gray", vmin=0.0, vmax=1.0)
        left.set_title(_short(r["file"]), fontsize=9)
        right.imshow(r["pixels"], cmap="gray", vmin=0.0, vmax=1.0, interpolation="nearest")
        (best, p), *others = ranked(r["probabilities"], class_names)
        right.set_title(f"network reads: {best} ({p:.0%})", fontsize=10, fontweight="bold")
        if others:
            right.set_xlabel("next: " + ", ".join(f"{name} ({q:.0%})" for name, q in others), fontsize=8)
        for ax in (left, right):
            ax.set_xticks([])
            ax.set_yticks([])
    import io

    from barenet.files import atomic_write

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    try:
        atomic_write(path, buffer.getvalue())
    except OSError as exc:
        raise BarenetError(_("{path}: cannot write the figure ({reason}); choose a writable --show "
                             "path").format(path=path, reason=exc.strerror or exc)) from None


def _short(file: str, width: int = 40) -> str:
    """A file name that fits a subplot title: the last `width` characters."""
    return file if len(file) <= width else "…" + file[-(width - 1):]
