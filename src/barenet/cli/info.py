"""`barenet info`: what a model file holds, and how it was trained.

    barenet info MODEL [--json]

Prints the layer table (`Sequential.summary()`), the training configuration that matters (data,
class subset, network, optimiser, learning rate and schedule, epochs run, batch size, dropout,
seed, normalisation), the data it was trained on (name, canonical or not, short checksums), the
per-epoch history, the final scores, and the barenet version that wrote the file.

`--json` prints one JSON object: file, kind, barenet_version, architecture (description, layers,
output_activation, inputs, outputs), parameters (count), config, normalization, class_names,
dataset, metrics, history (one object per epoch: epoch, train_loss, train_accuracy, val_loss,
val_accuracy, lr, seconds), epochs_run, stopped_early, best_epoch, and final (test and
validation scores). A missing or broken file is one line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from barenet.cli import summary
from barenet.cli.columns import left, right, width
from barenet.i18n import _


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add `barenet info` and its flags."""
    parser = subparsers.add_parser(
        "info",
        help=summary("info"),
        description=_("Describe a model file: its layers and parameter count, the training "
                      "configuration, the data it was trained on, the per-epoch history and the "
                      "final scores."),
    )
    parser.add_argument("model", metavar="MODEL", help=_("a model file written by `barenet train`"))
    parser.add_argument("--json", action="store_true", help=_("print one JSON object instead of text"))
    return parser


def file_metadata(path: Path) -> dict[str, str]:
    """The safetensors `__metadata__` strings (barenet_version, format_version) of a loaded file.

    Called only after `modelfile.load` accepted the file, so the header is known to be sound.
    """
    with path.open("rb") as handle:
        length = int.from_bytes(handle.read(8), "little")
        header = json.loads(handle.read(length))
    return dict(header.get("__metadata__") or {})


def final_scores(trained) -> dict[str, Any]:
    """Test scores from the recorded metrics; validation scores of the epoch whose weights it holds.

    That epoch is the last one, or with early stopping the best one (the weights restored).
    """
    final: dict[str, Any] = {k: v for k, v in trained.metrics.items() if k.startswith(("test_", "val_"))}
    records = trained.history.records
    if records:
        best = trained.history.best_epoch if trained.history.stopped_early else None
        record = next((r for r in records if r.get("epoch") == best), records[-1])
        for key in ("val_accuracy", "val_loss", "train_accuracy", "train_loss"):
            if record.get(key) is not None:
                final[key] = record[key]
        final["epoch"] = record.get("epoch")
    return final


def gather(path: Path) -> dict[str, Any]:
    """Everything `info` shows, as plain JSON-able data."""
    from barenet.saving import modelfile

    trained = modelfile.load(path)
    model = trained.model
    metadata = file_metadata(path)
    history = trained.history
    architecture = model.to_config()
    return {
        "file": str(path),
        "kind": trained.kind,
        "file_bytes": path.stat().st_size,
        "barenet_version": metadata.get("barenet_version"),
        "format_version": metadata.get("format_version"),
        "architecture": {"description": model.describe(), "inputs": model.input_size(),
                         "outputs": model.output_size(), **architecture},
        "summary": model.summary(words=summary_words()),
        "parameters": model.parameter_count(),
        "config": trained.config,
        "normalization": trained.normalization,
        "class_names": trained.class_names,
        "dataset": trained.dataset,
        "metrics": trained.metrics,
        "history": history.records,
        "epochs_run": len(history.records),
        "stopped_early": history.stopped_early,
        "best_epoch": history.best_epoch,
        "final": final_scores(trained),
        "optimizer": ({k: v for k, v in trained.optimizer.items() if k != "buffers"}
                      if trained.optimizer else None),
    }


def summary_words() -> dict[str, str]:
    """The words of the engine's layer table (`Sequential.summary`), in the language in use."""
    return {"layer": _("layer"), "output": _("output"), "parameters": _("parameters"),
            "input": _("input"), "({activation} in predict_proba)": _("({activation} in predict_proba)"),
            "total parameters: {count}": _("total parameters: {count}")}


def _join(value: Any) -> str:
    return ",".join(str(v) for v in value) if isinstance(value, list) else str(value)


def describe_normalization(normalization: dict | None) -> str:
    if not normalization:
        return _("none (pixels in [0, 1])")
    kind = normalization.get("kind")
    if kind == "global":
        return _("standardised: (x − {mean:.4f}) / {std:.4f}").format(mean=normalization["mean"],
                                                                      std=normalization["std"])
    return _("standardised per pixel ({kind})").format(kind=kind)


def describe_schedule(config: dict[str, Any]) -> str:
    schedule = config.get("schedule", "?")
    if schedule == "step":
        return _("step (×{gamma} every {size} epochs)").format(gamma=config.get("gamma"),
                                                               size=config.get("step_size"))
    if schedule == "exponential":
        return _("exponential (×{gamma} per epoch)").format(gamma=config.get("gamma"))
    if schedule == "cosine":
        return _("cosine (down to {lr})").format(lr=config.get("min_lr"))
    return str(schedule)


def describe_epochs(info: dict[str, Any], c: dict[str, Any]) -> str:
    """'20 of 22 (1,000 steps), stopped early (patience 5), best epoch 15, 312.4 s'."""
    epochs = _("{run} of {planned}").format(run=info["epochs_run"], planned=c.get("epochs"))
    if c.get("steps"):
        epochs += _(" ({steps} steps)").format(steps=c.get("steps"))
    if info["stopped_early"]:
        epochs += _(", stopped early (patience {patience}), best epoch {best}").format(
            patience=c.get("early_stopping"), best=info["best_epoch"])
    elif c.get("early_stopping"):
        epochs += _(", early stopping patience {patience}").format(patience=c.get("early_stopping"))
    seconds = sum(r.get("seconds") or 0 for r in info["history"])
    if seconds:
        epochs += _(", {seconds:.1f} s").format(seconds=seconds)
    return epochs


def key_value(key: str, value: str) -> str:
    """'  key            value': the key padded to 14 terminal columns."""
    return f"  {left(key, 14)} {value}"


def training_lines(info: dict[str, Any]) -> list[str]:
    """The configuration, as `key  value` lines."""
    from barenet.cli.train import describe_augmentation

    c = info["config"]
    if not c:
        return [_("  (no training configuration recorded)")]
    classes = c.get("classes")
    names = info["class_names"]
    optimizer = str(c.get("optimizer"))
    if optimizer in ("momentum", "nesterov"):
        optimizer += _(" (momentum {momentum})").format(momentum=c.get("momentum"))
    if c.get("weight_decay"):
        optimizer += _(", weight decay {l2}").format(l2=c.get("weight_decay"))
    if classes:
        named = [str(n) for n in classes] != names and names
        subset = f"{_join(classes)}" + (f" ({', '.join(names)})" if named else "")
    dataset = _("{dataset}, classes {classes}").format(
        dataset=c.get("dataset"), classes=subset if classes else _("all {n}").format(n=len(names)))
    rows = [
        (_("dataset"), dataset + (_(", from {directory}").format(directory=c["data_dir"])
                                  if c.get("data_dir") else "")),
        (_("validation"), _("{n:,} samples held out of the training set").format(n=c.get("val_size"))
         if isinstance(c.get("val_size"), int) else "?"),
        (_("normalisation"), describe_normalization(info["normalization"])),
        (_("hidden"), _("{hidden}  activation {activation}  output {output}  loss {loss}").format(
            hidden=_join(c.get("hidden")), activation=_join(c.get("activation")),
            output=c.get("output"), loss=c.get("loss"))),
        (_("init"), _("{init} (bias {bias})").format(init=_join(c.get("init")), bias=c.get("bias_init"))),
        (_("dropout"), str(c.get("dropout")) + (_(", batchnorm") if c.get("batchnorm") else "")
         + (_(", label smoothing {eps}").format(eps=c["label_smoothing"])
            if c.get("label_smoothing") else "")),
        (_("augment"), describe_augmentation(c)),
        (_("optimiser"), optimizer),
        (_("learning rate"), _("{lr}, schedule {schedule}").format(lr=c.get("lr"),
                                                                   schedule=describe_schedule(c))),
        (_("batch size"), f"{c.get('batch_size')} ({c.get('sampling')})"),
        (_("epochs"), describe_epochs(info, c)),
        (_("seed"), str(c.get("seed"))),
    ]
    return [key_value(key, value) for key, value in rows]


def data_lines(dataset: dict[str, Any]) -> list[str]:
    if not dataset:
        return [_("  (no data record)")]
    canonical = dataset.get("canonical")
    lines = [key_value(_("name"), _("{name} (canonical files)") if canonical
                       else _("{name} (not the canonical files)")).format(name=dataset.get("name"))]
    for i, (name, digest) in enumerate(sorted((dataset.get("sha256") or {}).items())):
        lines.append(key_value("sha256" if i == 0 else "", f"{str(digest)[:12]}…  {name}"))
    return lines


def _fmt(value: Any, percent: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:.2%}" if percent else f"{value:.4f}"


def history_lines(records: list[dict[str, Any]]) -> list[str]:
    if not records:
        return [_("  (no epochs recorded)")]
    headers = [_("epoch"), _("train loss"), _("train acc"), _("val loss"), _("val acc"), _("lr"),
               _("seconds")]
    widths = [max(width(h), w) for h, w in zip(headers, (5, 10, 9, 8, 7, 8, 7), strict=True)]
    lines = ["  " + "  ".join(right(h, w) for h, w in zip(headers, widths, strict=True))]
    for r in records:
        cells = [str(r.get("epoch", "?")), _fmt(r.get("train_loss")), _fmt(r.get("train_accuracy"), True),
                 _fmt(r.get("val_loss")), _fmt(r.get("val_accuracy"), True), f"{r.get('lr', 0):.2g}",
                 f"{r.get('seconds', 0):.2f}"]
        lines.append("  " + "  ".join(right(c, w) for c, w in zip(cells, widths, strict=True)))
    return lines


def score_lines(final: dict[str, Any]) -> list[str]:
    labels = [("test_accuracy", _("test accuracy"), True), ("test_loss", _("test loss"), False),
              ("val_accuracy", _("val accuracy"), True), ("val_loss", _("val loss"), False)]
    lines = []
    for key, label, percent in labels:
        if final.get(key) is not None:
            where = _(" (epoch {epoch})").format(epoch=final["epoch"]) \
                if key.startswith("val_") and final.get("epoch") else ""
            lines.append(key_value(label, f"{_fmt(final[key], percent)}{where}"))
    return lines or [_("  (no scores recorded)")]


def text(info: dict[str, Any]) -> str:
    version = info["barenet_version"]
    kind = {"model": _("model"), "checkpoint": _("checkpoint")}.get(info["kind"], info["kind"])
    head = [
        (_("model file   {file}  ({kind}, {mb:.2f} MB, written by barenet {version})") if version
         else _("model file   {file}  ({kind}, {mb:.2f} MB)")).format(
            file=info["file"], kind=kind, mb=info["file_bytes"] / 1e6, version=version),
        _("network      {network}, {count:,} parameters").format(
            network=info["architecture"]["description"], count=info["parameters"]),
    ]
    if info["optimizer"]:
        head.append(_("optimiser    state of {name} after {t} steps (a checkpoint: resume with "
                      "barenet train --resume)").format(name=info["optimizer"].get("name"),
                                                        t=info["optimizer"].get("t")))
    return "\n".join([
        *head, "", info["summary"], "",
        _("training"), *training_lines(info), "",
        _("data"), *data_lines(info["dataset"]), "",
        _("history"), *history_lines(info["history"]), "",
        _("scores"), *score_lines(info["final"]),
    ])


def run(args: argparse.Namespace) -> int:
    """Describe the model file; 0 on success."""
    info = gather(Path(args.model))
    if args.json:
        print(json.dumps(info))
    else:
        print(text(info))
    return 0
