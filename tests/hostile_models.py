"""Hostile model files: valid safetensors whose barenet metadata lies, is nested, huge or mistyped.

`tiny_model_bytes(record_edit)` writes a real 4-3-2 network (as `modelfile.save` does) and lets
the caller edit the metadata record (a dict) or replace its JSON text before the bytes are made.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np
from safetensors.numpy import save as to_bytes

from barenet import __version__
from barenet.nn import Dense, ReLU, Sequential
from barenet.saving import modelfile


def tiny_record_and_tensors() -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The metadata record and tensors of a 4-3-2 ReLU network, as `modelfile.save` makes them."""
    model = Sequential([Dense(4, 3, rng=0), ReLU(), Dense(3, 2, rng=1)], output_activation="softmax")
    tensors = {name: np.ascontiguousarray(p) for name, p in model.named_parameters()}
    record = {"kind": "model", "architecture": model.to_config(), "config": {},
              "normalization": None, "class_names": ["a", "b"], "history": {}, "dataset": {},
              "metrics": {}, "optimizer": None}
    return record, tensors


def model_bytes(record: dict[str, Any] | str, tensors: dict[str, np.ndarray]) -> bytes:
    """Safetensors bytes with barenet's format tags and `record` (a dict, or raw JSON text)."""
    text = record if isinstance(record, str) else json.dumps(record)
    metadata = {"format": modelfile.FORMAT, "format_version": modelfile.FORMAT_VERSION,
                "barenet_version": __version__, "barenet": text}
    return to_bytes(tensors, metadata=metadata)


def edited(edit: Callable[[dict[str, Any], dict[str, np.ndarray]], Any]) -> bytes:
    """The tiny model's bytes after `edit(record, tensors)`; a str it returns replaces the JSON."""
    record, tensors = tiny_record_and_tensors()
    replaced = edit(record, tensors)
    return model_bytes(replaced if isinstance(replaced, str) else record, tensors)


def _dense(index: int, **changes: Any) -> Callable[[dict, dict], None]:
    def edit(record: dict, tensors: dict) -> None:
        record["architecture"]["layers"][index].update(changes)
    return edit


def _set(key: str, value: Any) -> Callable[[dict, dict], None]:
    def edit(record: dict, tensors: dict) -> None:
        record[key] = value
    return edit


#: name -> edit; every one of these must be refused by `modelfile.load` with one ModelFileError.
HOSTILE_EDITS: dict[str, Callable[[dict, dict], Any]] = {
    "dense_10e12_units": _dense(2, n_out=10**12),
    "dense_huge_n_in": _dense(0, n_in=10**9, n_out=10**9),
    "dense_negative": _dense(0, n_out=-3),
    "dense_size_string": _dense(0, n_out="3"),
    "dense_size_float": _dense(0, n_out=3.0),
    "dense_size_bool": _dense(2, n_out=True),
    "dense_unknown_init": _dense(0, weight_init="os.system"),
    "dense_init_number": _dense(0, bias_init=5),
    "dense_extra_argument": _dense(0, rng=1),
    "dropout_p_string": lambda r, t: r["architecture"]["layers"].insert(2, {"type": "Dropout", "p": "x"}),
    "dropout_p_one": lambda r, t: r["architecture"]["layers"].insert(2, {"type": "Dropout", "p": 1.0}),
    "unknown_layer": lambda r, t: r["architecture"]["layers"].insert(1, {"type": "Eval"}),
    "layer_type_number": lambda r, t: r["architecture"]["layers"][1].update(type=7),
    "layer_not_a_table": lambda r, t: r["architecture"]["layers"].insert(1, "ReLU"),
    "many_layers": lambda r, t: r["architecture"]["layers"].extend([{"type": "ReLU"}] * 100_000),
    "layers_not_a_list": lambda r, t: r["architecture"].update(layers={"type": "Dense"}),
    "no_layers": lambda r, t: r["architecture"].update(layers=[]),
    "architecture_number": _set("architecture", 5),
    "no_architecture": lambda r, t: r.pop("architecture"),
    "output_activation_bad": lambda r, t: r["architecture"].update(output_activation="exp"),
    "record_a_list": lambda r, t: "[1, 2, 3]",
    "record_not_json": lambda r, t: "{not json",
    "deeply_nested": lambda r, t: "[" * 100_000 + "]" * 100_000,
    "deeply_nested_config": lambda r, t: json.dumps({**r, "config": 0})[:-1].replace(
        '"config": 0', '"config": ' + "{\"a\": " * 50_000 + "1" + "}" * 50_000) + "}",
    "huge_number": lambda r, t: json.dumps(r).replace('"n_out": 2', '"n_out": ' + "9" * 5000),
    "class_names_number": _set("class_names", 5),
    "class_names_too_many": _set("class_names", ["x"] * 1000),
    "config_a_list": _set("config", [1]),
    "history_a_string": _set("history", "abc"),
    "history_records_bad": _set("history", {"records": [5]}),
    "normalization_bad": _set("normalization", {"mean": "x"}),
    "normalization_wrong_size": _set("normalization", {"kind": "per-pixel", "mean": [0.0], "std": [1.0]}),
    "metrics_a_list": _set("metrics", [1]),
    "metrics_a_string": _set("metrics", {"test_accuracy": "high"}),
    "history_epoch_a_string": _set("history", {"records": [{"epoch": "one", "train_loss": 0.5}]}),
    "history_loss_a_string": _set("history", {"records": [{"epoch": 1, "train_loss": "x"}]}),
    "dataset_a_number": _set("dataset", 3),
    "dataset_sha256_a_number": _set("dataset", {"name": "mnist", "sha256": 5}),
    "history_batch_lengths_differ": _set("history", {"records": [], "batch_steps": [1],
                                                     "batch_losses": []}),
    "kind_unknown": _set("kind", "virus"),
    "optimizer_bad_buffers": _set("optimizer", {"name": "Adam", "t": 1, "config": {}, "buffers": 10**12}),
    "optimizer_buffers_string": _set("optimizer", {"name": "Adam", "t": 1, "config": {}, "buffers": "x"}),
    "optimizer_a_number": _set("optimizer", 5),
    "optimizer_tensor_bad_name": lambda r, t: t.update({"optimizer.x": np.zeros(3, np.float32)}),
    "optimizer_tensor_out_of_range": lambda r, t: (
        r.update(optimizer={"name": "Adam", "t": 1, "config": {}, "buffers": 4}),
        t.update({"optimizer.5.m": np.zeros(3, np.float32)})),
    "tensor_wrong_shape": lambda r, t: t.update({"0.W": np.zeros((3, 4), np.float32)}),
    "tensor_float64": lambda r, t: t.update({"0.W": np.zeros((4, 3), np.float64)}),
    "tensor_nan": lambda r, t: t.update({"0.b": np.full(3, np.nan, np.float32)}),
    "tensor_missing": lambda r, t: t.pop("2.b"),
    "tensor_extra": lambda r, t: t.update({"9.W": np.zeros(1, np.float32)}),
}
