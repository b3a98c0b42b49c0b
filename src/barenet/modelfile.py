"""Model files: safetensors weights plus validated JSON metadata. Loading never runs code.

A `.safetensors` file is an 8-byte header length, a JSON header (tensor names, dtypes, shapes,
byte offsets, and a string-to-string `__metadata__`), then raw little-endian tensor bytes. There is
nothing in it to execute, unlike a pickle (`torch.save`, or NumPy's object arrays).

barenet writes:
    tensors    "0.W", "0.b", "2.W", ...       the parameters of layer 0, 2, ... (float32)
               "optimizer.<i>.<name>"          optimiser moments (checkpoints only)
    metadata   "format": "barenet-model", "format_version": "1", "barenet_version": "...",
               "barenet": one JSON object:
                   kind            "model" or "checkpoint"
                   architecture    Sequential.to_config()
                   config          TrainingConfig.to_dict() (replayable with --config)
                   normalization   Standardizer.to_dict() or null
                   class_names     ["0", ..., "9"]
                   history         History.to_dict(): per-epoch records
                   dataset         {"name", "sha256": {file: hex}, "canonical"}
                   metrics         final scores, e.g. {"test_accuracy": 0.985, "test_loss": ...}
                   optimizer       {"name", "t", "config"} (checkpoints)

Writes are atomic (`barenet.files.atomic_write`): a crash or a kill leaves either the old file or
the new one, never half of one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from barenet.errors import BarenetError, ModelFileError
from barenet.files import atomic_write
from barenet.nn.model import Sequential
from barenet.nn.training import History
from barenet.version import __version__

FORMAT = "barenet-model"
FORMAT_VERSION = "1"
HEADER_LIMIT = 100 * 1024 * 1024  # safetensors' own cap on the JSON header


@dataclass
class TrainedModel:
    """A network with everything needed to use it: input scaling, class names, how it was trained."""

    model: Sequential
    config: dict[str, Any] = field(default_factory=dict)
    normalization: dict[str, Any] | None = None
    class_names: list[str] = field(default_factory=list)
    history: History = field(default_factory=History)
    dataset: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    kind: str = "model"
    optimizer: dict[str, Any] | None = None  # {"name", "t", "config", "buffers"} in checkpoints

    def prepare(self, pixels01: np.ndarray) -> np.ndarray:
        """Pixels in [0, 1], (N, 784) or (N, 28, 28) -> the model's input (N, 784) float32."""
        x = np.asarray(pixels01, dtype=np.float32).reshape(len(pixels01), -1)  # (N, 28, 28) -> (N, 784)
        if self.normalization:
            from barenet.data.prepare import Standardizer

            x = Standardizer.from_dict(self.normalization).transform(x)
        return x

    def predict_proba(self, pixels01: np.ndarray) -> np.ndarray:
        """Class probabilities (N, K) for pixels in [0, 1]."""
        return self.model.predict_proba(self.prepare(pixels01))


def save(path: str | Path, trained: TrainedModel, optimizer=None) -> Path:
    """Write `trained` (and, for a checkpoint, the optimiser's state) atomically to `path`."""
    from safetensors.numpy import save as to_bytes

    path = Path(path)
    tensors = {name: np.ascontiguousarray(p) for name, p in trained.model.named_parameters()}
    record: dict[str, Any] = {
        "kind": "checkpoint" if optimizer is not None else trained.kind,
        "architecture": trained.model.to_config(),
        "config": trained.config,
        "normalization": trained.normalization,
        "class_names": trained.class_names,
        "history": trained.history.to_dict(),
        "dataset": trained.dataset,
        "metrics": trained.metrics,
        "optimizer": None,
    }
    if optimizer is not None:
        state = optimizer.state_dict()
        record["optimizer"] = {"name": type(optimizer).__name__, "t": state["t"],
                               "config": optimizer.config(), "buffers": len(state["buffers"])}
        for i, buffers in enumerate(state["buffers"]):
            for name, array in buffers.items():
                tensors[f"optimizer.{i}.{name}"] = np.ascontiguousarray(array)
    metadata = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "barenet_version": __version__,
        "barenet": json.dumps(record, allow_nan=False),
    }
    try:
        atomic_write(path, to_bytes(tensors, metadata=metadata))
    except OSError as exc:
        raise ModelFileError(f"{path}: cannot write the model file ({exc.strerror or exc}); "
                             "choose a writable --out path") from None
    return path


def parse_header(data: bytes) -> dict | list | None:
    """The JSON header of safetensors bytes, or None if there is no well-formed one.

    Layout: 8 bytes little-endian header length n, then n bytes of JSON, then the tensors.
    """
    if len(data) < 8:
        return None
    header_len = int.from_bytes(data[:8], "little")
    if header_len > min(HEADER_LIMIT, len(data) - 8):
        return None
    try:
        return json.loads(data[8 : 8 + header_len])
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None


def sniff(head: bytes) -> str | None:
    """A hint for a file that is not safetensors, from its first bytes."""
    if head[:2] in (b"\x80\x02", b"\x80\x03", b"\x80\x04", b"\x80\x05"):
        return "it is a Python pickle, which can run arbitrary code; barenet never unpickles"
    if head[:4] == b"PK\x03\x04":
        return "it is a zip archive (.npz?); barenet reads only .safetensors model files"
    if head[:6] == b"\x93NUMPY":
        return "it is a NumPy .npy array, not a barenet model file"
    return None


def load(path: str | Path) -> TrainedModel:
    """Read and check a model file; raise ModelFileError (one line: what and the fix) if anything is off.

    Checked: a safetensors header that parses, barenet's format tag and a known version, metadata
    that is valid JSON with an architecture, every parameter present with the architecture's shape,
    float32, finite; nothing else is trusted.
    """
    from safetensors import SafetensorError
    from safetensors.numpy import load as from_bytes

    path = Path(path)
    where = f"{path}"
    fix = "train a model with `barenet train` or pass the path of one"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ModelFileError(f"{where}: model file not found; {fix}") from None
    except IsADirectoryError:
        raise ModelFileError(f"{where}: is a directory, not a model file; {fix}") from None
    except OSError as exc:
        raise ModelFileError(f"{where}: cannot read the model file ({exc.strerror or exc})") from None

    header = parse_header(data)
    if header is None:
        hint = sniff(data[:8])
        if hint:
            raise ModelFileError(f"{where}: not a barenet model file: {hint}; {fix}")
        if len(data) < 8:
            raise ModelFileError(f"{where}: not a model file ({len(data)} bytes, too short to hold "
                                 f"a safetensors header); {fix}")
        raise ModelFileError(f"{where}: not a safetensors model file, or a truncated or corrupt one "
                             f"(its header does not parse); {fix}")
    if not isinstance(header, dict):
        raise ModelFileError(f"{where}: corrupt model file (unexpected header); {fix}")
    metadata = header.get("__metadata__") or {}
    if not isinstance(metadata, dict):
        raise ModelFileError(f"{where}: corrupt model file (its metadata is not a table); {fix}")
    if metadata.get("format") != FORMAT:
        raise ModelFileError(f"{where}: a safetensors file, but not one written by barenet (no "
                             f"'format: {FORMAT}' in its metadata); {fix}")
    version = metadata.get("format_version")
    if version != FORMAT_VERSION:
        raise ModelFileError(f"{where}: model format version {version!r} is not one this barenet "
                             f"({__version__}) reads (it reads {FORMAT_VERSION!r}); upgrade barenet "
                             "or re-train the model")
    try:
        tensors = from_bytes(data)
    except (SafetensorError, ValueError, OverflowError) as exc:
        raise ModelFileError(f"{where}: corrupt or truncated model file ({exc}); {fix}") from None
    try:
        record = json.loads(metadata["barenet"])
        return from_record(record, tensors)
    except ModelFileError as exc:
        raise ModelFileError(f"{where}: {exc}") from None
    except BarenetError as exc:
        raise ModelFileError(f"{where}: invalid metadata ({exc}); {fix}") from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ModelFileError(f"{where}: invalid or incomplete metadata ({type(exc).__name__}: "
                             f"{exc}); {fix}") from None


def from_record(record: dict[str, Any], tensors: dict[str, np.ndarray]) -> TrainedModel:
    """Rebuild a TrainedModel from the metadata record and the tensors, checking every parameter."""
    model = Sequential.from_config(record["architecture"], rng=0)
    expected = dict(model.named_parameters())
    missing = sorted(set(expected) - set(tensors))
    if missing:
        raise ModelFileError(f"parameter(s) {', '.join(missing)} missing from the file; re-train")
    for name, param in expected.items():
        value = tensors[name]
        if value.shape != param.shape:
            raise ModelFileError(f"parameter {name} has shape {value.shape}, the architecture "
                                 f"needs {param.shape}; the file is inconsistent, re-train")
        if value.dtype != np.float32:
            raise ModelFileError(f"parameter {name} is {value.dtype}, expected float32; re-train")
        if not np.isfinite(value).all():
            raise ModelFileError(f"parameter {name} holds NaN or infinite values; re-train")
        param[...] = value
    extra = sorted(k for k in set(tensors) - set(expected) if not k.startswith("optimizer."))
    if extra:
        raise ModelFileError(f"unexpected tensor(s) {', '.join(extra)} in the file; re-train")

    optimizer = record.get("optimizer")
    if optimizer is not None:
        buffers: list[dict[str, np.ndarray]] = [{} for _ in range(int(optimizer["buffers"]))]
        for key, value in tensors.items():
            if key.startswith("optimizer."):
                _, index, name = key.split(".", 2)
                buffers[int(index)][name] = value
        optimizer = {**optimizer, "buffers": buffers}
    class_names = [str(c) for c in record.get("class_names") or []]
    if class_names and len(class_names) != model.output_size() and model.output_size() != 1:
        raise ModelFileError(f"{len(class_names)} class names for {model.output_size()} outputs")
    return TrainedModel(
        model=model,
        config=dict(record.get("config") or {}),
        normalization=record.get("normalization"),
        class_names=class_names,
        history=History.from_dict(record.get("history") or {}),
        dataset=dict(record.get("dataset") or {}),
        metrics=dict(record.get("metrics") or {}),
        kind=record.get("kind", "model"),
        optimizer=optimizer,
    )
