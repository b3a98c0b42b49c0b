"""A trained model as the weights file of the site's in-page network (plain JavaScript, no server).

    to_web(trained, float16=False) -> dict        the network as JSON-able data
    write_web(trained, path, float16=False)       FILE.js: `window.BARENET_NETWORK = {…};`
                                                  (a page opened from disk can load a script,
                                                  not fetch a file), any other name: JSON
    read_web(path) -> TrainedModel                the same weights back in a barenet model, so
                                                  that NumPy and JavaScript compute on one set

The data, one entry per layer of the `Sequential`, in order:

    {"type": "Dense", "n_in": 784, "n_out": 512, "W": <(n_in, n_out) row-major>, "b": <(n_out,)>}
    {"type": "ReLU"} | {"type": "LeakyReLU", "alpha": 0.01} | Sigmoid | Tanh | Softmax
    {"type": "Identity"} | {"type": "Dropout", "p": 0.2}                 (identity when reading)
    {"type": "BatchNorm", "n": 512, "scale": <(n,)>, "shift": <(n,)>}    inference: y = x·scale + shift

An array is {"dtype": "float32" | "float16", "shape": [...], "data": base64 of its little-endian
bytes}. float16 halves the file (784-512-512-10: 3.6 MB → 1.8 MB, base64 included) and changes the
network by what rounding each weight to 11 significant bits does; `read_web` gives back exactly
the rounded values (as float32), which is what the page computes with. BatchNorm is stored
folded, scale = γ/√(running_var + ε) and shift = β − running_mean·scale, the affine map it is at
inference, in float32 whatever the weights' dtype.

Beside the layers: "input" (the standardisation {"kind": "global"|"per-pixel", "mean", "std"} or
null), "output_activation" ("softmax", "sigmoid" or null), "class_names", and "about": what the
model is and how it was trained, for the page to say.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import numpy as np

from barenet.errors import ModelFileError
from barenet.files import atomic_write
from barenet.nn import Sequential
from barenet.saving.modelfile import TrainedModel
from barenet.version import __version__

FORMAT = "barenet-web-network"
GLOBAL_NAME = "BARENET_NETWORK"
LAYER_KINDS = ("Dense", "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Softmax", "Identity", "Dropout",
               "BatchNorm")


def encode(array: np.ndarray, dtype: str) -> dict[str, Any]:
    """{"dtype", "shape", "data": base64 of the little-endian bytes} of `array` in `dtype`."""
    values = np.ascontiguousarray(array, dtype=np.dtype(dtype).newbyteorder("<"))
    return {"dtype": dtype, "shape": list(values.shape),
            "data": base64.b64encode(values.tobytes()).decode("ascii")}


def decode(entry: dict[str, Any]) -> np.ndarray:
    """The float32 array an `encode` entry holds (float16 values widened exactly)."""
    dtype = np.dtype(entry["dtype"]).newbyteorder("<")
    values = np.frombuffer(base64.b64decode(entry["data"]), dtype=dtype)
    return values.reshape(entry["shape"]).astype(np.float32)


def layer_entry(layer, float16: bool) -> dict[str, Any]:
    """One layer of the network as data (see the module docstring)."""
    kind = type(layer).__name__
    if kind not in LAYER_KINDS:
        raise ModelFileError(f"the in-page network cannot run a {kind} layer; it runs "
                             f"{', '.join(LAYER_KINDS)}")
    entry: dict[str, Any] = {"type": kind}
    dtype = "float16" if float16 else "float32"
    if kind == "Dense":
        entry.update(n_in=layer.n_in, n_out=layer.n_out, W=encode(layer.W, dtype), b=encode(layer.b, dtype))
    elif kind == "BatchNorm":
        scale = layer.gamma.astype(np.float64) / np.sqrt(layer.running_var.astype(np.float64) + layer.eps)
        shift = layer.beta - layer.running_mean * scale
        entry.update(n=layer.n, scale=encode(scale, "float32"), shift=encode(shift, "float32"))
    elif kind == "LeakyReLU":
        entry["alpha"] = layer.alpha
    elif kind == "Dropout":
        entry["p"] = layer.p
    return entry


def to_web(trained: TrainedModel, float16: bool = False) -> dict[str, Any]:
    """The network of `trained` as the page's data: layers, input scaling, classes, about."""
    model = trained.model
    classes = list(trained.class_names) or [str(i) for i in range(max(model.output_size(), 2))]
    about = {"model": model.describe(), "parameters": model.parameter_count(),
             "barenet_version": __version__, "dtype": "float16" if float16 else "float32",
             "metrics": {k: v for k, v in trained.metrics.items() if isinstance(v, (int, float))},
             "epochs": len(trained.history.records), "dataset": trained.dataset.get("name")}
    return {"format": FORMAT, "format_version": 1, "about": about,
            "input": trained.normalization, "output_activation": model.output_activation,
            "class_names": classes, "layers": [layer_entry(layer, float16) for layer in model.layers]}


def write_web(trained: TrainedModel, path: str | Path, float16: bool = False) -> Path:
    """Write the page's weights file atomically: a script for `.js`, JSON otherwise."""
    path = Path(path)
    text = json.dumps(to_web(trained, float16), separators=(",", ":"), allow_nan=False)
    if path.suffix.lower() == ".js":
        text = (f"// barenet's network for the in-page demo, written by `barenet export MODEL --web "
                f"{path.name}`.\nwindow.{GLOBAL_NAME} = {text};\n")
    atomic_write(path, text.encode("utf-8"))
    return path


def read_web(path: str | Path) -> TrainedModel:
    """The network of a weights file, as a barenet model holding exactly the stored values.

    BatchNorm comes back as a BatchNorm whose inference map is the stored scale and shift
    (γ = scale, β = shift, running mean 0, running variance 1 − ε, so √(var + ε) = 1).
    """
    text = Path(path).read_text(encoding="utf-8")
    if text.startswith("//"):
        text = text[text.index("=") + 1 :].strip().removesuffix(";")
    data = json.loads(text)
    if data.get("format") != FORMAT:
        raise ModelFileError(f"{path}: not a barenet web network (no 'format: {FORMAT}')")
    layers, parameters = [], {}
    for i, entry in enumerate(data["layers"]):
        kind = entry["type"]
        spec: dict[str, Any] = {"type": kind}
        if kind == "Dense":
            spec.update(n_in=entry["n_in"], n_out=entry["n_out"])
            parameters.update({f"{i}.W": decode(entry["W"]), f"{i}.b": decode(entry["b"])})
        elif kind == "BatchNorm":
            eps = 1e-5
            spec.update(n=entry["n"], eps=eps)
            parameters.update({f"{i}.gamma": decode(entry["scale"]), f"{i}.beta": decode(entry["shift"]),
                               f"{i}.running_mean": np.zeros(entry["n"], np.float32),
                               f"{i}.running_var": np.full(entry["n"], 1 - eps, np.float32)})
        elif kind in ("LeakyReLU", "Dropout"):
            spec.update({key: entry[key] for key in ("alpha", "p") if key in entry})
        layers.append(spec)
    model = Sequential.from_config({"layers": layers, "output_activation": data["output_activation"]},
                                   parameters=parameters)
    return TrainedModel(model=model, normalization=data["input"], class_names=data["class_names"])
