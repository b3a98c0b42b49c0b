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


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add `barenet info` and its flags."""
    parser = subparsers.add_parser(
        "info",
        help=summary("info"),
        description="Describe a model file: its layers and parameter count, the training "
        "configuration, the data it was trained on, the per-epoch history and the final scores.",
    )
    parser.add_argument("model", metavar="MODEL", help="a model file written by `barenet train`")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
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
    from barenet import modelfile

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
        "summary": model.summary(),
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


def _join(value: Any) -> str:
    return ",".join(str(v) for v in value) if isinstance(value, list) else str(value)


def describe_normalization(normalization: dict | None) -> str:
    if not normalization:
        return "none (pixels in [0, 1])"
    kind = normalization.get("kind")
    if kind == "global":
        return f"standardised: (x − {normalization['mean']:.4f}) / {normalization['std']:.4f}"
    return f"standardised per pixel ({kind})"


def describe_schedule(config: dict[str, Any]) -> str:
    schedule = config.get("schedule", "?")
    if schedule == "step":
        return f"step (×{config.get('gamma')} every {config.get('step_size')} epochs)"
    if schedule == "exponential":
        return f"exponential (×{config.get('gamma')} per epoch)"
    if schedule == "cosine":
        return f"cosine (down to {config.get('min_lr')})"
    return str(schedule)


def training_lines(info: dict[str, Any]) -> list[str]:
    """The configuration, as `key  value` lines."""
    from barenet.cli.train import describe_augmentation

    c = info["config"]
    if not c:
        return ["  (no training configuration recorded)"]
    classes = c.get("classes")
    names = info["class_names"]
    optimizer = str(c.get("optimizer"))
    if optimizer in ("momentum", "nesterov"):
        optimizer += f" (momentum {c.get('momentum')})"
    if c.get("weight_decay"):
        optimizer += f", weight decay {c.get('weight_decay')}"
    epochs = f"{info['epochs_run']} of {c.get('epochs')}"
    if c.get("steps"):
        epochs += f" ({c.get('steps')} steps)"
    if info["stopped_early"]:
        epochs += f", stopped early (patience {c.get('early_stopping')}), best epoch {info['best_epoch']}"
    elif c.get("early_stopping"):
        epochs += f", early stopping patience {c.get('early_stopping')}"
    seconds = sum(r.get("seconds") or 0 for r in info["history"])
    if seconds:
        epochs += f", {seconds:.1f} s"
    if classes:
        named = [str(n) for n in classes] != names and names
        subset = f"{_join(classes)}" + (f" ({', '.join(names)})" if named else "")
    rows = [
        ("dataset", f"{c.get('dataset')}, classes " + (subset if classes else f"all {len(names)}")
         + (f", from {c['data_dir']}" if c.get("data_dir") else "")),
        ("validation", f"{c.get('val_size'):,} samples held out of the training set"
         if isinstance(c.get("val_size"), int) else "?"),
        ("normalisation", describe_normalization(info["normalization"])),
        ("hidden", f"{_join(c.get('hidden'))}  activation {_join(c.get('activation'))}  "
         f"output {c.get('output')}  loss {c.get('loss')}"),
        ("init", f"{_join(c.get('init'))} (bias {c.get('bias_init')})"),
        ("dropout", str(c.get("dropout")) + (", batchnorm" if c.get("batchnorm") else "")
         + (f", label smoothing {c['label_smoothing']}" if c.get("label_smoothing") else "")),
        ("augment", describe_augmentation(c)),
        ("optimiser", optimizer),
        ("learning rate", f"{c.get('lr')}, schedule {describe_schedule(c)}"),
        ("batch size", f"{c.get('batch_size')} ({c.get('sampling')})"),
        ("epochs", epochs),
        ("seed", str(c.get("seed"))),
    ]
    return [f"  {key:<14} {value}" for key, value in rows]


def data_lines(dataset: dict[str, Any]) -> list[str]:
    if not dataset:
        return ["  (no data record)"]
    canonical = dataset.get("canonical")
    lines = [f"  {'name':<14} {dataset.get('name')}"
             f" ({'canonical files' if canonical else 'not the canonical files'})"]
    for i, (name, digest) in enumerate(sorted((dataset.get("sha256") or {}).items())):
        lines.append(f"  {'sha256' if i == 0 else '':<14} {str(digest)[:12]}…  {name}")
    return lines


def _fmt(value: Any, percent: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:.2%}" if percent else f"{value:.4f}"


def history_lines(records: list[dict[str, Any]]) -> list[str]:
    if not records:
        return ["  (no epochs recorded)"]
    lines = ["  epoch  train loss  train acc  val loss  val acc        lr  seconds"]
    for r in records:
        lines.append(
            f"  {r.get('epoch', '?'):>5}  {_fmt(r.get('train_loss')):>10}  "
            f"{_fmt(r.get('train_accuracy'), True):>9}  {_fmt(r.get('val_loss')):>8}  "
            f"{_fmt(r.get('val_accuracy'), True):>7}  {r.get('lr', 0):>8.2g}  {r.get('seconds', 0):>7.2f}")
    return lines


def score_lines(final: dict[str, Any]) -> list[str]:
    labels = [("test_accuracy", "test accuracy", True), ("test_loss", "test loss", False),
              ("val_accuracy", "val accuracy", True), ("val_loss", "val loss", False)]
    lines = []
    for key, label, percent in labels:
        if final.get(key) is not None:
            where = f" (epoch {final['epoch']})" if key.startswith("val_") and final.get("epoch") else ""
            lines.append(f"  {label:<14} {_fmt(final[key], percent)}{where}")
    return lines or ["  (no scores recorded)"]


def text(info: dict[str, Any]) -> str:
    size = info["file_bytes"]
    version = info["barenet_version"]
    head = [
        f"model file   {info['file']}  ({info['kind']}, {size / 1e6:.2f} MB"
        + (f", written by barenet {version})" if version else ")"),
        f"network      {info['architecture']['description']}, {info['parameters']:,} parameters",
    ]
    if info["optimizer"]:
        head.append(f"optimiser    state of {info['optimizer'].get('name')} after "
                    f"{info['optimizer'].get('t')} steps (a checkpoint: resume with barenet train --resume)")
    return "\n".join([
        *head, "", info["summary"], "",
        "training", *training_lines(info), "",
        "data", *data_lines(info["dataset"]), "",
        "history", *history_lines(info["history"]), "",
        "scores", *score_lines(info["final"]),
    ])


def run(args: argparse.Namespace) -> int:
    """Describe the model file; 0 on success."""
    info = gather(Path(args.model))
    if args.json:
        print(json.dumps(info))
    else:
        print(text(info))
    return 0
