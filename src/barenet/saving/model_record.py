"""Checks of a model file's metadata record against its tensors and sane limits, before any use.

A model file's JSON record (see `barenet.saving.modelfile`) is data from anywhere: nothing in it is
trusted until checked here. `check_record(record, tensors)` raises one `ModelFileError` naming
the first thing wrong, and guarantees, when it returns, that

- every value has the type it should (tables are dicts, lists are lists, sizes are integers, ...);
- the architecture is a list of at most MAX_LAYERS known layers with only known arguments, and
  each Dense layer's sizes are those of its stored tensors `i.W`: (n_in, n_out), `i.b`: (n_out,)
  and follow on from the layer before; so building the network allocates no more than the file
  holds (a layer of 10¹² units written in the metadata alone is refused here, not allocated);
- the tensors are exactly the architecture's parameters (plus the optimiser's moments of a
  checkpoint, one per parameter, of the same shape), float32 and finite;
- the class names, normalisation, history and optimiser record are consistent with the network.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from barenet.errors import BarenetError, ModelFileError
from barenet.i18n import _
from barenet.nn.model import MAX_LAYERS  # the same limit a run is built with (barenet.experiment.config)

MAX_CLASSES = 100_000
KINDS = ("model", "checkpoint")
NUMBERS = ("train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr", "seconds")  # per epoch
OUTPUT_ACTIVATIONS = ("softmax", "sigmoid", None)

#: The arguments each layer type's config may hold, and their JSON types. Layer types of the
#: engine not listed here may hold plain numbers, strings and booleans (sizes come from tensors).
LAYER_ARGUMENTS: dict[str, dict[str, tuple[type, ...]]] = {
    "Dense": {"n_in": (int,), "n_out": (int,), "weight_init": (str,), "bias_init": (str,)},
    "Dropout": {"p": (int, float)},
    "BatchNorm": {"n": (int,), "momentum": (int, float), "eps": (int, float)},
    "LeakyReLU": {"alpha": (int, float)},
    "ReLU": {}, "Sigmoid": {}, "Tanh": {}, "Softmax": {}, "Identity": {},
}


def kind_name(value: Any) -> str:
    """The JSON name of a value's type, for messages: 'a number', 'a list', ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return _("a boolean")
    if isinstance(value, (int, float)):
        return _("a number")
    if isinstance(value, str):
        return _("a string")
    return _("a list") if isinstance(value, list) else _("a table") if isinstance(value, dict) else "?"


def expect(value: Any, types: tuple[type, ...], what: str) -> Any:
    """`value` if it is one of `types` (a bool is never a number here), else a ModelFileError."""
    if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
        wanted = {dict: _("a table"), list: _("a list"), str: _("a string"), int: _("an integer"),
                  float: _("a number"), bool: _("a boolean"), type(None): "null"}
        names = _(" or ").join(dict.fromkeys(wanted[t] for t in types))
        raise ModelFileError(_("invalid metadata: {what} is {kind}, expected {names}; the file is "
                               "damaged or was not written by barenet, re-train").format(
                                 what=what, kind=kind_name(value), names=names))
    if isinstance(value, float) and not math.isfinite(value):
        raise ModelFileError(_("invalid metadata: {what} is {value}; re-train").format(
                                 what=what, value=value))
    return value


def check_record(record: Any, tensors: Mapping[str, np.ndarray]) -> None:
    """Raise ModelFileError unless `record` and `tensors` describe one sound network (see above)."""
    expect(record, (dict,), "the metadata record")
    if "architecture" not in record:
        raise ModelFileError(_("invalid metadata: no architecture; re-train"))
    kind = record.get("kind", "model")
    if kind not in KINDS:
        raise ModelFileError(_("invalid metadata: kind {kind!r} is neither 'model' nor "
                               "'checkpoint'; re-train").format(
                                 kind=kind))
    shapes = check_architecture(record["architecture"], tensors)
    check_parameters({**shapes, **buffer_shapes(record["architecture"])}, tensors)
    n_in, n_out = network_sizes(record["architecture"], tensors)
    expect(record.get("config") or {}, (dict,), "config")
    check_dataset(record.get("dataset") or {})
    for key, value in expect(record.get("metrics") or {}, (dict,), "metrics").items():
        expect(value, (int, float, type(None)), f"metrics.{key}")
    check_class_names(record.get("class_names"), n_out)
    check_normalization(record.get("normalization"), n_in)
    check_history(record.get("history"))
    check_optimizer(record.get("optimizer"), shapes, tensors)


def check_architecture(architecture: Any, tensors: Mapping[str, np.ndarray]) -> dict[str, tuple]:
    """Check the layer list; return the parameter shapes it implies, {"0.W": (784, 512), ...}."""
    expect(architecture, (dict,), "architecture")
    layers = expect(architecture.get("layers"), (list,), "architecture.layers")
    if not 1 <= len(layers) <= MAX_LAYERS:
        raise ModelFileError(_("invalid metadata: {n_layers} layers (1 to {most} expected); "
                               "re-train").format(
                                 n_layers=len(layers), most=MAX_LAYERS))
    output = architecture.get("output_activation")
    if output not in OUTPUT_ACTIVATIONS:
        raise ModelFileError(_("invalid metadata: output_activation {output!r} is not softmax, "
                               "sigmoid or null; re-train").format(
                                 output=output))
    shapes: dict[str, tuple] = {}
    width: int | None = None  # features flowing out of the layers so far
    for i, spec in enumerate(layers):
        kind = check_layer(i, spec)
        if kind not in LAYER_ARGUMENTS:  # its arrays' shapes are checked when it is built
            shapes.update(stored_arrays(i, tensors))
        if kind == "BatchNorm":
            if spec.get("n") != width:
                raise ModelFileError(_("invalid metadata: layer {i} (BatchNorm) normalises {n} "
                                       "features but the layers before it give {width}; re-train").format(
                                         i=i, n=spec.get('n'), width=width))
            shapes[f"{i}.gamma"] = shapes[f"{i}.beta"] = (width,)
        if kind != "Dense":
            continue
        n_in, n_out = dense_sizes(i, spec, tensors)
        if width is not None and n_in != width:
            raise ModelFileError(_("invalid metadata: layer {i} (Dense) takes {n_in} inputs but the "
                                   "layers before it give {width}; re-train").format(
                                     i=i, n_in=n_in, width=width))
        shapes[f"{i}.W"], shapes[f"{i}.b"] = (n_in, n_out), (n_out,)
        width = n_out
    if width is None:
        raise ModelFileError(_("invalid metadata: the architecture has no Dense layer; re-train"))
    return shapes


def stored_arrays(i: int, tensors: Mapping[str, np.ndarray]) -> dict[str, tuple]:
    """{"i.name": shape} of the tensors stored for layer i (a layer type without a table above,
    e.g. one with running statistics): `Sequential.from_config` checks them against the layer."""
    prefix = f"{i}."
    return {name: tuple(value.shape) for name, value in tensors.items()
            if name.startswith(prefix) and name[len(prefix):].isidentifier()}


def buffer_shapes(architecture: dict[str, Any]) -> dict[str, tuple]:
    """The shapes of the checked architecture's buffers: BatchNorm's running statistics (n,)."""
    return {f"{i}.{name}": (spec["n"],) for i, spec in enumerate(architecture["layers"])
            if spec["type"] == "BatchNorm" for name in ("running_mean", "running_var")}


def check_layer(i: int, spec: Any) -> str:
    """The layer type of layers[i], after checking its name and the types of its arguments."""
    from barenet.nn.model import LAYERS

    expect(spec, (dict,), f"layer {i}")
    kind = spec.get("type")
    if not isinstance(kind, str) or kind not in LAYERS:
        raise ModelFileError(_("invalid metadata: layer {i} has unknown type {kind!r} (known: "
                               "{known}); re-train or upgrade barenet").format(
                                 i=i, kind=kind, known=', '.join(sorted(LAYERS))))
    allowed = LAYER_ARGUMENTS.get(kind)
    for name, value in spec.items():
        if name == "type":
            continue
        if allowed is None:  # a layer type this module has no table for: plain values only
            expect(value, (int, float, str, bool, type(None)), f"layer {i} ({kind}) {name}")
            if isinstance(value, int) and abs(value) > 2**31:
                raise ModelFileError(_("invalid metadata: layer {i} ({kind}) {name} = {value} is "
                                       "out of range; re-train").format(
                                         i=i, kind=kind, name=name, value=value))
        elif name not in allowed:
            raise ModelFileError(_("invalid metadata: layer {i} ({kind}) has an unknown argument "
                                   "{name!r}; re-train or upgrade barenet").format(
                                     i=i, kind=kind, name=name))
        else:
            expect(value, allowed[name], f"layer {i} ({kind}) {name}")
    for name in ("weight_init", "bias_init") if kind == "Dense" else ():
        check_initializer(i, spec.get(name, "zeros"))
    if kind == "Dropout" and not 0 <= spec.get("p", 0.5) < 1:
        raise ModelFileError(_("invalid metadata: layer {i} (Dropout) p = {p} is not in [0, 1); "
                               "re-train").format(
                                 i=i, p=spec['p']))
    return kind


def check_initializer(i: int, spec: str) -> None:
    """An initialiser name the engine knows ("he_normal", "normal:0.01", ...): only a record of
    how the layer was made, but a name barenet never wrote means a file not to trust."""
    from barenet.nn.initializers import get_initializer

    try:
        get_initializer(spec)
    except (ValueError, KeyError):
        raise ModelFileError(_("invalid metadata: layer {i} (Dense) has an unknown initialiser "
                               "{spec!r}; re-train").format(
                                 i=i, spec=spec[:40])) from None


def dense_sizes(i: int, spec: dict[str, Any], tensors: Mapping[str, np.ndarray]) -> tuple[int, int]:
    """(n_in, n_out) of Dense layer i, checked against the shapes of the tensors i.W and i.b."""
    n_in, n_out = spec.get("n_in"), spec.get("n_out")
    if n_in is None or n_out is None:
        raise ModelFileError(_("invalid metadata: layer {i} (Dense) lacks n_in or n_out; re-train").format(
                                 i=i))
    weights, bias = tensors.get(f"{i}.W"), tensors.get(f"{i}.b")
    if weights is None or bias is None:
        raise ModelFileError(_("parameter {i}.W or {i}.b of layer {i} (Dense) is missing from the "
                               "file; re-train").format(
                                 i=i))
    if weights.shape != (n_in, n_out) or bias.shape != (n_out,):
        raise ModelFileError(
            _("layer {i} (Dense) claims {n_in} inputs and {n_out} outputs, but the file stores "
              "{i}.W {w_shape} and {i}.b {b_shape}; the file is inconsistent, re-train").format(
                i=i, n_in=n_in, n_out=n_out, w_shape=tuple(weights.shape), b_shape=tuple(bias.shape)))
    return n_in, n_out


def check_parameters(shapes: Mapping[str, tuple], tensors: Mapping[str, np.ndarray]) -> None:
    """The tensors other than optimiser moments are exactly `shapes`, each float32 and finite."""
    stored = {name for name in tensors if not name.startswith("optimizer.")}
    extra = sorted(stored - set(shapes))
    if extra:
        raise ModelFileError(_("unexpected tensor(s) {extra} in the file; re-train").format(
                                 extra=', '.join(extra[:5])))
    for name, shape in shapes.items():
        if name not in tensors:
            raise ModelFileError(_("parameter {name} is missing from the file; re-train").format(
                                     name=name))
        if tuple(tensors[name].shape) != shape:
            raise ModelFileError(_("parameter {name} has shape {shape}, the architecture needs "
                                   "{expected}; the file is inconsistent, re-train").format(
                                     name=name, shape=tuple(tensors[name].shape), expected=shape))
        check_array(name, tensors[name])


def check_array(name: str, value: np.ndarray) -> None:
    """A stored tensor must be float32 and finite."""
    if value.dtype != np.float32:
        raise ModelFileError(_("parameter {name} is {dtype}, expected float32; re-train").format(
                                 name=name, dtype=value.dtype))
    if not np.isfinite(value).all():
        raise ModelFileError(_("parameter {name} holds NaN or infinite values; re-train").format(
                                 name=name))


def network_sizes(architecture: dict[str, Any], tensors: Mapping[str, np.ndarray]) -> tuple[int, int]:
    """(inputs, outputs) of the checked architecture: the first Dense layer's n_in, the last's n_out."""
    dense = [i for i, spec in enumerate(architecture["layers"]) if spec["type"] == "Dense"]
    return tensors[f"{dense[0]}.W"].shape[0], tensors[f"{dense[-1]}.W"].shape[1]


def check_class_names(names: Any, outputs: int) -> None:
    """None, or a list of strings: one per output unit (two for a single sigmoid unit)."""
    if names is None:
        return
    expect(names, (list,), "class_names")
    for name in names[:MAX_CLASSES]:
        expect(name, (str, int), "a class name")
    if names and len(names) != outputs and not (outputs == 1 and len(names) == 2):
        raise ModelFileError(_("invalid metadata: {n_names} class names for {outputs} outputs; "
                               "re-train").format(
                                 n_names=len(names), outputs=outputs))


def check_normalization(normalization: Any, inputs: int) -> None:
    """None, or a Standardizer record whose per-pixel statistics have one value per input."""
    if normalization is None:
        return
    from barenet.data.prepare import Standardizer

    expect(normalization, (dict,), "normalization")
    try:
        standardizer = Standardizer.from_dict(normalization)
    except BarenetError as exc:
        raise ModelFileError(_("invalid metadata: normalization: {error}; re-train").format(
                                 error=exc)) from None
    if standardizer.per_pixel and np.size(standardizer.mean) != inputs:
        raise ModelFileError(_("invalid metadata: normalization has {size} values for {inputs} "
                               "inputs; re-train").format(
                                 size=np.size(standardizer.mean), inputs=inputs))


def check_history(history: Any) -> None:
    """None, or {"records": [{"epoch": 1, "train_loss": 0.3, ...}, ...], ...}: plain values only."""
    if history is None:
        return
    expect(history, (dict,), "history")
    records = expect(history.get("records", []), (list,), "history.records")
    for record in records:
        expect(record, (dict,), "a history record")
        for key, value in record.items():
            types = (int,) if key == "epoch" else (int, float, type(None)) if key in NUMBERS else (
                int, float, str, type(None))
            expect(value, types, f"history {key}")
    for key in ("batch_steps", "batch_losses"):
        for value in expect(history.get(key, []), (list,), f"history.{key}"):
            expect(value, (int, float, type(None)), f"history.{key} entry")  # None: NaN saved
    if len(history.get("batch_steps", [])) != len(history.get("batch_losses", [])):
        raise ModelFileError(_("invalid metadata: history.batch_steps and history.batch_losses "
                               "differ in length; re-train"))
    expect(history.get("best_epoch"), (int, type(None)), "history.best_epoch")
    expect(history.get("stopped_early", False), (bool,), "history.stopped_early")


def check_dataset(dataset: Any) -> None:
    """{"name", "sha256": {file: hex}, "canonical", "source"}: strings, a table of strings, a bool."""
    expect(dataset, (dict,), "dataset")
    for key in ("name", "source"):
        expect(dataset.get(key), (str, type(None)), f"dataset.{key}")
    expect(dataset.get("canonical"), (bool, type(None)), "dataset.canonical")
    for file, digest in expect(dataset.get("sha256") or {}, (dict,), "dataset.sha256").items():
        expect(digest, (str,), f"dataset.sha256 of {file[:40]}")


def check_optimizer(optimizer: Any, shapes: Mapping[str, tuple],
                    tensors: Mapping[str, np.ndarray]) -> None:
    """None, or the moments of a checkpoint: tensors optimizer.<i>.<name>, one set per parameter.

    Buffer i belongs to parameter i (in the order of `shapes`) and has its shape.
    """
    moments = sorted(name for name in tensors if name.startswith("optimizer."))
    if optimizer is None:
        if moments:
            raise ModelFileError(_("unexpected tensor(s) {moments} in a file without an optimiser "
                                   "record; re-train").format(
                                     moments=', '.join(moments[:5])))
        return
    expect(optimizer, (dict,), "optimizer")
    expect(optimizer.get("name"), (str,), "optimizer.name")
    expect(optimizer.get("config", {}), (dict,), "optimizer.config")
    if expect(optimizer.get("t"), (int,), "optimizer.t") < 0:
        raise ModelFileError(_("invalid metadata: optimizer.t is negative; re-train"))
    count = expect(optimizer.get("buffers"), (int,), "optimizer.buffers")
    parameter_shapes = list(shapes.values())
    if count not in (0, len(parameter_shapes)):
        raise ModelFileError(_("invalid metadata: {count} optimiser buffers for "
                               "{parameters} parameters; re-train").format(
                                 count=count, parameters=len(parameter_shapes)))
    for name in moments:
        _prefix, index, moment = name.split(".", 2) if name.count(".") >= 2 else (name, "", "")
        if not index.isdigit() or int(index) >= count or not moment:
            raise ModelFileError(_("unexpected tensor {name} in the file; re-train").format(
                                     name=name))
        if tensors[name].shape != parameter_shapes[int(index)]:
            raise ModelFileError(_("optimiser tensor {name} has shape {shape}, its parameter "
                                   "{expected}; re-train").format(
                                     name=name, shape=tuple(tensors[name].shape),
                                     expected=parameter_shapes[int(index)]))
        check_array(name, tensors[name])
