"""`Sequential`: layers applied one after another, forward in order and backward in reverse.

    forward:   a⁰ = x,  aˡ = layerˡ(aˡ⁻¹),  output = aᴸ
    backward:  g = ∂L/∂output,  g ← layerˡ.backward(g) for l = L … 1   (the chain rule, layer by layer)

A network trained with a fused loss (`SoftmaxCrossEntropy`, `BinaryCrossEntropy`) ends in raw
scores; its `output_activation` ("softmax" or "sigmoid") is applied only by `predict_proba`, so the
probabilities a user sees are those the loss trained.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np

from barenet.errors import ShapeError
from barenet.nn.activations import LeakyReLU, ReLU, Sigmoid, Softmax, Tanh, sigmoid, softmax
from barenet.nn.batchnorm import BatchNorm
from barenet.nn.labels import labels_from_outputs
from barenet.nn.layer import Layer
from barenet.nn.layers import Dense, Dropout, Identity, as_generator

#: The most layers a network may have: what `barenet.experiment.config` lets a run build (MAX_HIDDEN_LAYERS)
#: and what `barenet.saving.model_record` lets a model file hold, so that every file written is read.
MAX_LAYERS = 1000

#: Layers by the name model files use.
LAYERS: dict[str, type[Layer]] = {
    "Dense": Dense,
    "ReLU": ReLU,
    "LeakyReLU": LeakyReLU,
    "Sigmoid": Sigmoid,
    "Tanh": Tanh,
    "Softmax": Softmax,
    "Identity": Identity,
    "Dropout": Dropout,
    "BatchNorm": BatchNorm,
}

OUTPUT_ACTIVATIONS = ("softmax", "sigmoid", None)


def given_parameters(index: int, layer_class: type[Layer],
                     parameters: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """{"W": ..., "b": ...} for layer `index` from {"<index>.W": ..., ...}; every one present.

    Buffers (BatchNorm's running statistics) are given the same way: "<index>.running_mean".
    """
    names = layer_class.param_names + layer_class.buffer_names
    missing = [f"{index}.{name}" for name in names if f"{index}.{name}" not in parameters]
    if missing:
        raise ValueError(f"parameter(s) {', '.join(missing)} of layer {index} "
                         f"({layer_class.__name__}) missing")
    return {name: parameters[f"{index}.{name}"] for name in names}


# Sequential.summary()'s words, in English (its `words` argument gives them in another language).
SUMMARY_WORDS = {"layer": "layer", "output": "output", "parameters": "parameters", "input": "input",
                 "({activation} in predict_proba)": "({activation} in predict_proba)",
                 "total parameters: {count}": "total parameters: {count}"}


def _columns(text: str) -> int:
    """The terminal columns `text` takes: two for a wide (CJK) character, else one."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class Sequential:
    """A feed-forward network: a list of layers.

    forward(x, training=False) -> output         x: (batch, n_in)
    backward(grad) -> ∂L/∂x                      grad = ∂L/∂output; fills every layer's dW, db, …
    parameters() -> [(parameter, gradient), ...] in a fixed order: W₁, b₁, W₂, b₂, …
        what an optimiser steps: `optimizer.step(model.parameters())`
    The parameters are the layers' own arrays: `model.layers[0].W = new_W` is the network's W.
    """

    def __init__(self, layers: Sequence[Layer], output_activation: str | None = None) -> None:
        if output_activation not in OUTPUT_ACTIVATIONS:
            raise ValueError(f"output_activation must be one of {OUTPUT_ACTIVATIONS}")
        self.layers = list(layers)
        self.output_activation = output_activation
        if len({id(layer) for layer in self.layers}) != len(self.layers):
            raise ValueError("a layer appears twice in the network; give each place a layer of its own")
        dtypes = sorted({str(param.dtype) for _, param in self.named_parameters()})
        if len(dtypes) > 1:
            raise ValueError(f"the layers' parameters mix {' and '.join(dtypes)}; build every layer "
                             "with the same dtype")
        self.built = {name: (param.shape, param.dtype) for name, param in self.named_parameters()}

    def check_parameters(self) -> None:
        """Raise ShapeError if a parameter assigned since (`layer.W = …`) has another shape or dtype."""
        for key, param in self.named_parameters():
            index, name = key.split(".")
            shape, dtype = self.built[key]
            if np.shape(param) != shape or np.asarray(param).dtype != dtype:
                raise ShapeError(f"layer {index}'s {name} was given an array of shape "
                                 f"{np.shape(param)} {np.asarray(param).dtype}; the network holds "
                                 f"{shape} {dtype} there")

    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        for layer in self.layers:
            x = layer.forward(x, training)  # aˡ = layerˡ(aˡ⁻¹)
        return x

    def backward(self, grad: np.ndarray) -> np.ndarray:
        """Backpropagate g = ∂L/∂output through every layer, last first; return ∂L/∂x."""
        for layer in reversed(self.layers):
            grad = layer.backward(grad)  # ∂L/∂aˡ⁻¹ = layerˡ.backward(∂L/∂aˡ), the chain rule
        return grad

    def parameters(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """(parameter, gradient) pairs of every layer, in order: W₁, b₁, W₂, b₂, …"""
        return [pair for layer in self.layers for pair in layer.parameters()]

    def named_parameters(self) -> list[tuple[str, np.ndarray]]:
        """("<layer index>.<name>", parameter) pairs, e.g. ("0.W", W₁): the names model files use."""
        return [
            (f"{i}.{name}", getattr(layer, name))
            for i, layer in enumerate(self.layers)
            for name in layer.param_names
        ]

    def named_gradients(self) -> list[tuple[str, np.ndarray]]:
        """("<layer index>.d<name>", gradient) pairs, e.g. ("0.dW", ∂L/∂W₁), after a backward pass.

        In the order of `named_parameters()`: the i-th gradient belongs to the i-th parameter.
        """
        return [
            (f"{i}.d{name}", getattr(layer, "d" + name))
            for i, layer in enumerate(self.layers)
            for name in layer.param_names
        ]

    def named_buffers(self) -> list[tuple[str, np.ndarray]]:
        """("<layer index>.<name>", buffer) pairs, e.g. ("1.running_mean", μ̄): kept, never optimised."""
        return [
            (f"{i}.{name}", getattr(layer, name))
            for i, layer in enumerate(self.layers)
            for name in layer.buffer_names
        ]

    def astype(self, dtype: np.dtype | type) -> Sequential:
        """A copy of the network in `dtype`: every parameter and buffer converted, nothing shared.

        float32 → float64 is exact, so the copy computes the same function (a gradient check
        runs in a float64 copy). Raises ValueError for a layer `LAYERS` cannot rebuild.
        """
        arrays = {name: np.asarray(value, dtype=dtype)
                  for name, value in self.named_parameters() + self.named_buffers()}
        return Sequential.from_config(self.to_config(), parameters=arrays, dtype=dtype)

    def parameter_count(self) -> int:
        return sum(param.size for _, param in self.named_parameters())

    @property
    def dtype(self) -> np.dtype:
        """The parameters' dtype (float32 when the network has none)."""
        return next((param.dtype for _, param in self.named_parameters()), np.dtype(np.float32))

    def check_inputs(self, x: np.ndarray, name: str = "x") -> None:
        """Raise ShapeError, in barenet's words, unless `x` is (N, n_in) numbers for this network.

        e.g. "flatten the images: x is (60000, 28, 28), the first Dense layer takes (N, 784); ..."
        """
        x = np.asarray(x)
        if x.dtype.kind not in "biuf":
            raise ShapeError(f"{name} holds {x.dtype} values; the network takes numbers (float32)")
        n_in = next((layer.n_in for layer in self.layers if isinstance(layer, Dense)), None)
        if n_in is None or (x.ndim == 2 and x.shape[1] == n_in):
            return
        takes = f"the first Dense layer takes (N, {n_in})"
        if x.ndim >= 3 and math.prod(x.shape[1:]) == n_in:
            raise ShapeError(f"flatten the images: {name} is {x.shape}, {takes}; pass "
                             f"{name}.reshape(len({name}), -1)")
        if x.ndim == 1 and x.shape[0] == n_in:
            raise ShapeError(f"{name} is one sample of shape {x.shape}, {takes}; pass "
                             f"{name}.reshape(1, -1) for a batch of one")
        if x.ndim == 2:
            raise ShapeError(f"{name} has {x.shape[1]} features per row ({name} is {x.shape}), but "
                             f"{takes}; give the network inputs of the size it was built for")
        raise ShapeError(f"{name} is {x.shape}, but {takes}: one row of {n_in} numbers per sample")

    def predict_proba(self, x: np.ndarray, batch_size: int = 4096) -> np.ndarray:
        """Class probabilities (batch, K), in batches: softmax or sigmoid of the scores if fused."""
        return self._outputs(x, batch_size, self._probabilities)

    def _outputs(self, x: np.ndarray, batch_size: int, finish) -> np.ndarray:
        """finish(forward(chunk)) for chunks of `batch_size` rows of x, joined: (batch, K)."""
        x = np.asarray(x)
        self.check_inputs(x)
        if x.dtype != self.dtype:
            x = x.astype(self.dtype)
        out = [finish(self.forward(x[i : i + batch_size])) for i in range(0, len(x), batch_size)]
        if not out:
            return np.zeros((0, self.output_size()), dtype=self.dtype)
        return np.concatenate(out)

    def _probabilities(self, scores: np.ndarray) -> np.ndarray:
        if self.output_activation == "softmax":
            return softmax(scores)
        if self.output_activation == "sigmoid":
            return sigmoid(scores)
        return scores

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Predicted class per row: argmax of the probabilities, or p > 0.5 for one output unit.

        With a softmax output that is the argmax of the scores (softmax is increasing in each
        score), so the softmax itself is skipped: about 5 % of inference for 784-100-10.
        """
        if self.output_activation == "softmax" and self.output_size() > 1:
            return labels_from_outputs(self._outputs(x, 4096, lambda scores: scores))
        return labels_from_outputs(self.predict_proba(x))

    def input_size(self) -> int:
        for layer in self.layers:
            if isinstance(layer, Dense):
                return layer.n_in
        raise ValueError("the network has no Dense layer, so its input size is unknown")

    def output_size(self) -> int:
        n = self.input_size()
        for layer in self.layers:
            n = layer.output_size(n)
        return n

    def summary(self, words: dict[str, str] | None = None) -> str:
        """A table of the layers, their output sizes and parameter counts.

        words: the table's own words in another language, by their English ("layer", "output",
            "parameters", "input", "({activation} in predict_proba)", "total parameters: {count}");
            the engine speaks English, the command line passes them translated. Columns are
            aligned by terminal width (a Chinese character takes two).
        """
        say = {**SUMMARY_WORDS, **(words or {})}
        rows = [("#", say["layer"], say["output"], say["parameters"])]
        n = self.input_size()
        rows.append(("", say["input"], str(n), ""))
        for i, layer in enumerate(self.layers):
            n = layer.output_size(n)
            count = sum(p.size for p, _ in layer.parameters())
            label = f"Dense({layer.n_in} → {layer.n_out})" if isinstance(layer, Dense) else repr(layer)
            rows.append((str(i), label, str(n), f"{count:,}" if count else ""))
        if self.output_activation:
            words_in = say["({activation} in predict_proba)"].format(activation=self.output_activation)
            rows.append(("", words_in, str(n), ""))
        widths = [max(_columns(r[c]) for r in rows) for c in range(4)]
        lines = ["  ".join(cell + " " * (w - _columns(cell)) for cell, w in zip(r, widths, strict=True))
                 .rstrip() for r in rows]
        lines.insert(1, "-" * _columns(lines[0]))
        lines.append(say["total parameters: {count}"].format(count=f"{self.parameter_count():,}"))
        return "\n".join(lines)

    def describe(self) -> str:
        """One line: the layer sizes and activations, e.g. '784-512(relu)-512(relu)-10'."""
        parts = [str(self.input_size())]
        for layer in self.layers:
            if isinstance(layer, Dense):
                parts.append(str(layer.n_out))
            elif not isinstance(layer, Identity):
                parts[-1] += f"({type(layer).__name__.lower()})"
        return "-".join(parts)

    # Architecture as plain data, for model files.
    def to_config(self) -> dict[str, Any]:
        return {
            "layers": [{"type": type(layer).__name__, **layer.config()} for layer in self.layers],
            "output_activation": self.output_activation,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any], parameters: dict[str, np.ndarray] | None = None,
                    rng: np.random.Generator | int | None = 0,
                    dtype: np.dtype | type = np.float32) -> Sequential:
        """Rebuild the network `to_config()` describes.

        parameters: {"0.W": array, "0.b": array, ...} (the names of `named_parameters()`): each
            layer is built from its given arrays, which must have the layer's shapes and `dtype`;
            nothing is drawn at random. Without them the parameters are freshly initialised.
        Raises ValueError (ShapeError for a wrong shape or dtype) naming the layer at fault.
        """
        rng = as_generator(rng)  # one stream for all layers: equal shapes must not get equal weights
        layers = []
        for i, spec in enumerate(config["layers"]):
            args = dict(spec)
            kind = args.pop("type")
            if kind not in LAYERS:
                raise ValueError(f"layer {i}: unknown layer type {kind!r}; known: {', '.join(LAYERS)}")
            layer_class = LAYERS[kind]
            if parameters is not None:
                args.update(given_parameters(i, layer_class, parameters))
            if kind in ("Dense", "Dropout"):
                args.update(rng=rng)
            if layer_class.param_names:
                args.update(dtype=dtype)
            try:
                layers.append(layer_class(**args))
            except ShapeError as exc:
                raise ShapeError(f"layer {i} ({kind}): {exc}") from None
        if parameters is not None:
            expected = {f"{i}.{name}" for i, layer in enumerate(layers)
                        for name in layer.param_names + layer.buffer_names}
            extra = sorted(set(parameters) - expected)
            if extra:
                raise ValueError(f"parameter(s) {', '.join(extra)} belong to no layer of the network")
        return cls(layers, output_activation=config.get("output_activation"))

    def __repr__(self) -> str:
        return f"Sequential({self.describe()})"
