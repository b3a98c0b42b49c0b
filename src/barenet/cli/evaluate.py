"""`barenet evaluate`: accuracy, loss, per-class scores and the confusion matrix of a saved model.

    barenet evaluate MODEL [--split test|val|train] [--data-dir DIR] [--json] [--plot FILE.png]

The data is rebuilt from the configuration recorded in the model file (dataset, class subset,
validation size and seed), with the recorded normalisation, so `--split val` is exactly the
validation set the run held out and `--split test` the untouched test set. `--data-dir` points at
another copy of the dataset; a copy whose checksums differ from the training data's is noted.

Output: a readable report on stdout, or with `--json` one JSON object (accuracy as a fraction,
loss, n, split, class_names, per_class [{class, precision, recall, f1, support}], macro,
confusion_matrix [[...]] with rows = true class and columns = predicted). `--plot FILE.png`
writes one figure: the confusion matrix on the left, the 25 most confident mistakes (the raw
28×28 images, "true → predicted (p)") on the right. Notes go to stderr; any error is one line on
stderr and exit status 1.
"""

from __future__ import annotations

import argparse
from typing import Any

from barenet.cli import summary
from barenet.cli.columns import left, right, width
from barenet.i18n import _

SPLITS = ("test", "val", "train")


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add `barenet evaluate` and its flags."""
    parser = subparsers.add_parser(
        "evaluate",
        help=summary("evaluate"),
        description=_("Score a saved model on the test (or validation, or training) split of the "
                      "data it was trained on, rebuilt from its recorded configuration and "
                      "normalisation."),
    )
    parser.add_argument("model", metavar="MODEL", help=_("a model file written by `barenet train`"))
    parser.add_argument("--split", choices=SPLITS, default="test",
                        help=_("which split to score (default: test; val = the held-out validation "
                               "set)"))
    parser.add_argument("--data-dir", metavar="DIR", default=None,
                        help=_("directory of the dataset files (default: the one recorded at "
                               "training, else $BARENET_DATA_DIR, else the bundled copy)"))
    parser.add_argument("--json", action="store_true", help=_("print one JSON object instead of a report"))
    parser.add_argument("--plot", metavar="FILE.png", default=None,
                        help=_("also draw the confusion matrix and the most confident mistakes to "
                               "FILE.png"))
    parser.add_argument("--mistakes", type=int, default=25, metavar="N",
                        help=_("how many mistakes the --plot gallery shows (default: 25)"))
    return parser


def predictions(model, x) -> tuple[Any, Any, Any]:
    """(probabilities (N, K), predicted labels (N,), confidence (N,)) in inference mode.

    With one output unit (K = 1) the probability p is that of class 1: the prediction is p > 0.5,
    its confidence max(p, 1 − p). Otherwise the prediction is the argmax, its confidence the max.
    """
    import numpy as np

    from barenet.nn import labels_from_outputs

    proba = model.predict_proba(x)
    predicted = labels_from_outputs(proba)
    if proba.shape[1] == 1:
        p = proba[:, 0]
        return proba, predicted, np.where(predicted == 1, p, 1 - p)
    return proba, predicted, proba[np.arange(len(proba)), predicted]


def raw_pixels(x, normalization: dict | None):
    """Model inputs (N, D) back to pixels in [0, 1]: x·std + mean, inverting the standardisation."""
    import numpy as np

    if not normalization:
        return x
    from barenet.data.prepare import Standardizer

    s = Standardizer.from_dict(normalization)
    pixels = x.astype(np.float64) * np.asarray(s.std, dtype=np.float64) + np.asarray(s.mean, dtype=np.float64)
    return np.clip(pixels, 0.0, 1.0)


def score(args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, Any]]:
    """Load, rebuild the data, predict and score; (report for the user, arrays for the plot)."""
    from barenet.errors import DataError
    from barenet.experiment import metrics
    from barenet.experiment.config import TrainingConfig, build
    from barenet.experiment.splits import align_classes
    from barenet.nn.training import evaluate
    from barenet.saving import modelfile

    trained = modelfile.load(args.model)
    model = trained.model
    config = TrainingConfig.from_dict(trained.config, source=_("{model}: recorded configuration")
                                      .format(model=args.model))
    splits, notes = held_out_data(args, trained, config)
    x, y = splits.split(args.split)
    y = align_classes(y, splits.class_names, trained.class_names)  # by name, not by position
    loss = build(config, model.input_size(), model.output_size())[1]
    mean_loss, accuracy = evaluate(model, loss, x, y)
    predicted, confidence = predictions(model, x)[1:]
    report = metrics.classification_report(y, predicted, n_classes=len(splits.class_names))
    # evaluate() and the argmax of predict_proba must agree; they differ only if a NaN crept in.
    if abs(accuracy - report["accuracy"]) > 1e-9:
        raise DataError(_("inconsistent predictions on the {split} split (accuracy {accuracy} from "
                          "the loss vs {from_probabilities} from the probabilities); re-train the "
                          "model").format(split=args.split, accuracy=accuracy,
                                          from_probabilities=report["accuracy"]))
    result = {
        "model": str(args.model),
        "architecture": model.describe(),
        "dataset": config.dataset,
        "data_dir": str(splits.dataset.directory),
        "split": args.split,
        "n": len(y),
        **scores(report, float(mean_loss), type(loss).__name__,
                 list(trained.class_names or splits.class_names)),
        "notes": notes,
    }
    arrays = {"x": x, "y": y, "predicted": predicted, "confidence": confidence,
              "cm": report["confusion_matrix"], "normalization": trained.normalization}
    return result, arrays


def held_out_data(args: argparse.Namespace, trained: Any, config: Any) -> tuple[Any, list[str]]:
    """The model's splits rebuilt from its recorded configuration, checked against the model.

    Returns (splits, notes); raises ConfigError for an empty --split, DataError for data the model
    cannot read (other image size, other number of classes).
    """
    from barenet.errors import ConfigError, DataError
    from barenet.experiment.splits import make_splits

    model = trained.model
    splits = make_splits(config, data_dir=args.data_dir, progress=False,
                         normalization=trained.normalization)
    notes = list(splits.notes)
    recorded = (trained.dataset or {}).get("sha256")
    if recorded and recorded != splits.dataset.sha256:
        notes.append(_("the data in {directory} differs from the data the model was trained on "
                       "(other checksums); the scores are not comparable with its recorded "
                       "ones").format(directory=splits.dataset.directory))
    x = splits.split(args.split)[0]
    if len(x) == 0:
        raise ConfigError(_("the {split} split is empty (the model was trained with val_size = "
                            "{val_size}); choose --split test").format(split=args.split,
                                                                       val_size=config.val_size))
    if x.shape[1] != model.input_size():
        raise DataError(_("the {dataset} images have {pixels} pixels but the model takes {inputs} "
                          "inputs; pass the dataset it was trained on").format(
                            dataset=config.dataset, pixels=x.shape[1], inputs=model.input_size()))
    k = len(splits.class_names)
    if model.output_size() != k and not (model.output_size() == 1 and k == 2):
        raise DataError(_("the data has {classes} classes but the model has {outputs} outputs; "
                          "pass the dataset it was trained on").format(classes=k,
                                                                       outputs=model.output_size()))
    return splits, notes


def scores(report: dict[str, Any], mean_loss: float, loss_function: str,
           class_names: list[str]) -> dict[str, Any]:
    """The JSON-ready scores: accuracy, loss, per class, macro averages and confusion matrix."""
    import numpy as np

    per_class = report["per_class"]
    return {
        "accuracy": report["accuracy"],
        "correct": int(np.trace(report["confusion_matrix"])),
        "loss": mean_loss,
        "loss_function": loss_function,
        "class_names": class_names,
        "per_class": [
            {"class": class_names[i], "precision": float(per_class["precision"][i]),
             "recall": float(per_class["recall"][i]), "f1": float(per_class["f1"][i]),
             "support": int(per_class["support"][i])}
            for i in range(len(per_class["support"]))
        ],
        "macro": report["macro"],
        "confusion_matrix": report["confusion_matrix"].tolist(),
    }


def confusion_table(cm: list[list[int]], names: list[str]) -> str:
    """The confusion matrix as aligned text: one row per true class, one column per prediction."""
    corner = _("true \\ predicted")
    cell = max(max(len(str(v)) for row in cm for v in row), max(width(n) for n in names), 3)
    label = max(max(width(n) for n in names), width(corner))
    lines = [left(corner, label) + "  " + " ".join(right(n, cell) for n in names)]
    for name, row in zip(names, cm, strict=True):
        lines.append(left(name, label) + "  " + " ".join(f"{v:>{cell}}" for v in row))
    return "\n".join(lines)


def text_report(result: dict[str, Any]) -> str:
    """The human-readable report."""
    names = [str(c) for c in result["class_names"]]
    n, correct = result["n"], result["correct"]
    lines = [
        _("model     {model}  ({architecture})").format(model=result["model"],
                                                       architecture=result["architecture"]),
        _("data      {dataset} {split} split, {n:,} images from {directory}").format(
            dataset=result["dataset"], split=result["split"], n=n, directory=result["data_dir"]),
        _("accuracy  {accuracy:.2%}  ({correct:,} of {n:,} right, {wrong:,} wrong)").format(
            accuracy=result["accuracy"], correct=correct, n=n, wrong=n - correct),
        _("loss      {loss:.4f}  (mean {function})").format(loss=result["loss"],
                                                          function=result["loss_function"]),
        "",
    ]
    class_, macro_ = _("class"), _("macro")
    cw = max(width(class_), max(width(name) for name in names), width(macro_))
    lines.append(left(class_, cw) + _("  precision  recall      f1  support"))
    for row in result["per_class"]:
        lines.append(left(str(row["class"]), cw) + f"  {row['precision']:9.4f}  {row['recall']:6.4f}  "
                     f"{row['f1']:6.4f}  {row['support']:7,}")
    macro = result["macro"]
    lines.append(left(macro_, cw) + f"  {macro['precision']:9.4f}  {macro['recall']:6.4f}  "
                 f"{macro['f1']:6.4f}  {n:7,}")
    lines += ["", _("confusion matrix (rows: true class, columns: predicted class)"),
              confusion_table(result["confusion_matrix"], names)]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Score the model; print the report or JSON; draw the figure if asked. 0 on success."""
    import json
    import sys

    from barenet.errors import ConfigError

    if not 1 <= args.mistakes <= 100:
        raise ConfigError(_("--mistakes {n}: expected 1 to 100 images").format(n=args.mistakes))
    if args.plot:  # checked before the work: a FIFO or a device is never replaced
        from barenet.files import check_output_path

        check_output_path(args.plot, "--plot", suffix=".png")
    result, arrays = score(args)
    if args.plot:
        from barenet.experiment import plots

        images = raw_pixels(arrays["x"], arrays["normalization"])
        try:
            path = plots.evaluation(arrays["cm"], result["class_names"], images, arrays["y"],
                                    arrays["predicted"], arrays["confidence"], args.plot, n=args.mistakes)
        except OSError as exc:
            raise ConfigError(_("--plot {path}: cannot write the figure ({reason}); choose a "
                                "writable path").format(path=args.plot,
                                                        reason=exc.strerror or exc)) from None
        except ValueError as exc:  # e.g. inputs that are not square images
            raise ConfigError(_("--plot {path}: cannot draw this model's data ({reason})").format(
                path=args.plot, reason=exc)) from None
        result["plot"] = str(path)
    for note in result["notes"]:
        print(note if note.startswith(("note:", _("note: "))) else _("note: {note}").format(note=note),
              file=sys.stderr)
    if args.json:
        print(json.dumps(result))
    else:
        print(text_report(result))
        if args.plot:
            print("\n" + _("plot      {path}").format(path=result["plot"]))
    return 0
