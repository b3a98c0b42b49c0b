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

import errno
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from barenet.errors import BarenetError, ModelFileError
from barenet.files import FileTooLarge, NotAFile, atomic_write, open_regular, printable
from barenet.i18n import _
from barenet.nn.model import Sequential
from barenet.nn.training import History
from barenet.saving.model_record import check_record
from barenet.version import __version__

FORMAT = "barenet-model"
FORMAT_VERSION = "1"
HEADER_LIMIT = 100 * 1024 * 1024  # safetensors' own cap on the JSON header
RECORD_LIMIT = 64 * 1024 * 1024  # barenet's JSON record (a 20-epoch run's is about 30 kB)
MODEL_LIMIT = 4 * 1024**3  # the largest model file read (784-512-512-10's checkpoint is 8 MB)


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
    tensors = {name: np.ascontiguousarray(p) for name, p in
               [*trained.model.named_parameters(), *trained.model.named_buffers()]}
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
        "barenet": json.dumps(json_safe(record), allow_nan=False),
    }
    try:
        atomic_write(path, to_bytes(tensors, metadata=metadata))
    except NotAFile as exc:  # a link, a FIFO, a device or a directory: never replaced
        raise ModelFileError(_("{path}: {reason}; barenet writes a model only to a new or a "
                               "regular file: choose another path").format(
            path=printable(path), reason=exc.strerror)) from None
    except OSError as exc:
        fix = (_("free some space on that disk, or choose an --out on another one") if exc.errno in
               (errno.ENOSPC, errno.EDQUOT) else _("choose a writable --out path"))
        raise ModelFileError(_("{path}: cannot write the model file ({strerror}); {fix}").format(
                                 path=path, strerror=exc.strerror or exc, fix=fix)) from None
    return path


def json_safe(value: Any) -> Any:
    """`value` with every NaN or infinite float as None (JSON null): a run whose validation loss
    became NaN is recorded (the number is unknown), not refused with "Out of range float values"."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(item) for item in value]
    return value


def parse_json(text: bytes | str, what: str) -> Any:
    """json.loads that turns damage (bad UTF-8, bad JSON, nesting too deep) into ModelFileError."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ModelFileError(_("{what} is nested too deeply to be barenet's").format(
            what=what)) from None
    except (UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError, or an int of > 4300 digits
        raise ModelFileError(_("{what} is not valid JSON ({error})").format(what=what,
                                                                             error=exc)) from None


def sniff(head: bytes) -> str | None:
    """A hint for a file that is not safetensors, from its first bytes."""
    if head[:2] in (b"\x80\x02", b"\x80\x03", b"\x80\x04", b"\x80\x05"):
        return _("it is a Python pickle, which can run arbitrary code; barenet never unpickles")
    if head[:4] == b"PK\x03\x04":
        return _("it is a zip archive (.npz?); barenet reads only .safetensors model files")
    if head[:6] == b"\x93NUMPY":
        return _("it is a NumPy .npy array, not a barenet model file")
    return None


def not_safetensors(head: bytes, otherwise: str) -> ModelFileError:
    """The error for a file whose first bytes are no safetensors header: named if recognised."""
    hint = sniff(head)
    return ModelFileError(_("not a barenet model file: {hint}").format(hint=hint) if hint else otherwise)


def declared_size(header: Any) -> int:
    """Bytes of tensor data a safetensors header declares: the largest end offset (0 if none)."""
    if not isinstance(header, dict):
        raise ModelFileError(_("corrupt model file (unexpected header)"))
    end = 0
    for name, info in header.items():
        if name == "__metadata__":
            continue
        offsets = info.get("data_offsets") if isinstance(info, dict) else None
        if (not isinstance(offsets, list) or len(offsets) != 2
                or not all(isinstance(o, int) and not isinstance(o, bool) and o >= 0 for o in offsets)):
            raise ModelFileError(_("corrupt model file (tensor {name!r} has no valid offsets)").format(
                                     name=name[:40]))
        end = max(end, offsets[1])
    return end


def read_model_bytes(handle: BinaryIO, size: int) -> tuple[dict, bytes]:
    """(header, bytes) of the safetensors file open in `handle`, `size` bytes on disk.

    Layout: 8 bytes little-endian header length n, n bytes of JSON, then the tensors. The
    header is read and checked first; the rest only if the header accounts for exactly the
    file's size (so a header cannot make barenet read beyond the file, or a file beyond it).
    """
    head = handle.read(8)
    if len(head) < 8:
        raise not_safetensors(head, _("not a model file ({n} bytes, too short to hold a safetensors "
                                      "header)").format(n=len(head)))
    header_len = int.from_bytes(head, "little")
    if header_len > min(HEADER_LIMIT, size - 8):
        raise not_safetensors(head, _("not a safetensors model file, or a truncated or corrupt one "
                                      "(its header does not parse)"))
    header_bytes = handle.read(header_len)
    header = parse_json(header_bytes, _("its safetensors header"))
    total = 8 + header_len + declared_size(header)
    if total != size:
        state = _("truncated") if total > size else _("damaged")
        raise ModelFileError(_("{state} model file: it holds {size:,} bytes, its header accounts for "
                               "{total:,}").format(
                                 state=state, size=size, total=total))
    return header, head + header_bytes + handle.read(total - 8 - header_len)  # <= MODEL_LIMIT


def check_format(header: dict) -> dict[str, Any]:
    """The `__metadata__` of a barenet model file of a version this barenet reads."""
    metadata = header.get("__metadata__") or {}
    if not isinstance(metadata, dict):
        raise ModelFileError(_("corrupt model file (its metadata is not a table)"))
    if metadata.get("format") != FORMAT:
        raise ModelFileError(_("a safetensors file, but not one written by barenet (no 'format: "
                               "{format}' in its metadata)").format(format=FORMAT))
    version = metadata.get("format_version")
    if version != FORMAT_VERSION:
        error = ModelFileError(_("model format version {version!r} is not one this barenet "
                                 "({barenet}) reads (it reads {reads!r}); upgrade barenet or "
                                 "re-train the model").format(version=version, barenet=__version__,
                                                              reads=FORMAT_VERSION))
        error.says_the_fix = True  # load() adds no other
        raise error
    record = metadata.get("barenet")
    if not isinstance(record, str):
        raise ModelFileError(_("invalid metadata: no barenet record"))
    if len(record) > RECORD_LIMIT:
        raise ModelFileError(_("invalid metadata: the barenet record is {n_record:,} characters, more "
                               "than the {RECORD_LIMIT:,} a model file holds").format(
                                 n_record=len(record), RECORD_LIMIT=RECORD_LIMIT))
    return metadata


def load(path: str | Path) -> TrainedModel:
    """Read and check a model file; raise ModelFileError (one line: what and the fix) if anything is off.

    Checked, in this order, before anything is built: a regular file (not a FIFO, a device or a
    directory) of at most MODEL_LIMIT bytes; a safetensors header that parses and accounts for
    exactly the file; barenet's format tag and a known version; a metadata record that is valid
    JSON, checked by `barenet.saving.model_record.check_record` against the tensors and sane limits.
    Nothing else is trusted.
    """
    from safetensors import SafetensorError
    from safetensors.numpy import load as from_bytes

    path = Path(path)
    fix = _("train a model with `barenet train` or pass the path of one")
    try:
        with open_regular(path, limit=MODEL_LIMIT) as handle:
            header, data = read_model_bytes(handle, os.fstat(handle.fileno()).st_size)
    except FileNotFoundError:
        raise ModelFileError(_("{path}: model file not found; {fix}").format(path=path, fix=fix)) from None
    except NotAFile as exc:
        raise ModelFileError(_("{path}: {strerror}; {fix}").format(
                                 path=path, strerror=exc.strerror, fix=fix)) from None
    except FileTooLarge as exc:
        raise ModelFileError(_("{path}: {strerror} for a model file; {fix}").format(
                                 path=path, strerror=exc.strerror, fix=fix)) from None
    except OSError as exc:
        raise ModelFileError(_("{path}: cannot read the model file ({strerror})").format(
                                 path=path, strerror=exc.strerror or exc)) from None
    except ModelFileError as exc:
        raise ModelFileError(_("{path}: {exc}; {fix}").format(path=path, exc=exc, fix=fix)) from None
    try:
        metadata = check_format(header)
        tensors = from_bytes(data)
    except ModelFileError as exc:
        raise ModelFileError(f"{path}: {exc}" + ("" if getattr(exc, "says_the_fix", False) else
                                                 f"; {fix}")) from None
    except (SafetensorError, ValueError, OverflowError) as exc:
        raise ModelFileError(_("{path}: corrupt or truncated model file ({exc}); {fix}").format(
                                 path=path, exc=exc, fix=fix)) from None
    try:
        record = parse_json(metadata["barenet"], _("the metadata record"))
        return from_record(record, tensors)
    except ModelFileError as exc:
        raise ModelFileError(_("{path}: {exc}").format(path=path, exc=exc)) from None
    except BarenetError as exc:
        raise ModelFileError(_("{path}: invalid metadata ({exc}); {fix}").format(
                                 path=path, exc=exc, fix=fix)) from None


def from_record(record: Any, tensors: dict[str, np.ndarray]) -> TrainedModel:
    """Rebuild a TrainedModel from the metadata record and the tensors, after `check_record`.

    The network is built from the stored tensors (`Sequential.from_config(..., parameters=)`),
    never initialised at the sizes the metadata names.
    """
    check_record(record, tensors)
    model = build_model(record["architecture"], tensors)
    optimizer = record.get("optimizer")
    if optimizer is not None:
        buffers: list[dict[str, np.ndarray]] = [{} for _ in range(optimizer["buffers"])]
        for key, value in tensors.items():
            if key.startswith("optimizer."):
                _, index, name = key.split(".", 2)
                buffers[int(index)][name] = value
        optimizer = {**optimizer, "buffers": buffers}
    return TrainedModel(
        model=model,
        config=dict(record.get("config") or {}),
        normalization=record.get("normalization"),
        class_names=[str(c) for c in record.get("class_names") or []],
        history=History.from_dict(record.get("history") or {}),
        dataset=dict(record.get("dataset") or {}),
        metrics=dict(record.get("metrics") or {}),
        kind=record.get("kind", "model"),
        optimizer=optimizer,
    )


def build_model(architecture: dict[str, Any], tensors: dict[str, np.ndarray]) -> Sequential:
    """The checked architecture, each layer built from its stored parameters (nothing drawn)."""
    parameters = {name: value for name, value in tensors.items() if not name.startswith("optimizer.")}
    try:
        return Sequential.from_config(architecture, parameters=parameters)
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelFileError(_("invalid metadata ({exc}); re-train").format(exc=exc)) from None
