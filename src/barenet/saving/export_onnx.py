"""A trained barenet network as an ONNX graph, for onnxruntime and every tool that reads ONNX.

The graph takes what `barenet predict` gives the network, pixels in [0, 1], and returns what
`TrainedModel.predict_proba` returns:

    pixels (N, 784) float32 in [0, 1]
      → [Sub mean, Div std]                       the model's input normalisation, if it has one
      → Gemm(x, W, b) = x W + b                   each Dense layer (W: (n_in, n_out), no transpose)
      → Relu | LeakyRelu(α) | Sigmoid | Tanh      each activation layer
      → BatchNormalization(γ, β, μ, σ², ε)        each BatchNorm layer, with its running statistics
      → Softmax(axis=1) | Sigmoid                 the output activation `predict_proba` applies
    probabilities (N, K) float32

Dropout and Identity layers are the identity at inference and leave no node. Built with the
`onnx` package (the optional extra `barenet[onnx]`) and checked with `onnx.checker` in full.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from barenet.errors import ModelFileError
from barenet.i18n import _

OPSET = 17


class _Graph:
    """Nodes and initialisers (constant tensors) collected while walking the layers in order."""

    def __init__(self, helper: Any, numpy_helper: Any) -> None:
        self.helper, self.numpy_helper = helper, numpy_helper
        self.nodes: list[Any] = []
        self.constants: list[Any] = []
        self.current = "pixels"

    def constant(self, name: str, value: np.ndarray) -> str:
        self.constants.append(self.numpy_helper.from_array(np.asarray(value, dtype=np.float32), name))
        return name

    def node(self, op: str, name: str, *inputs: str, **attributes: Any) -> None:
        """Append `op(current, *inputs)`; its output becomes the current value."""
        output = f"{name}.out"
        self.nodes.append(self.helper.make_node(op, [self.current, *inputs], [output], name=name,
                                                **attributes))
        self.current = output


def _dense(graph: _Graph, name: str, layer: Any) -> None:
    graph.node("Gemm", name, graph.constant(f"{name}.W", layer.W), graph.constant(f"{name}.b", layer.b))


def _batchnorm(graph: _Graph, name: str, layer: Any) -> None:
    arrays = [layer.gamma, layer.beta, layer.running_mean, layer.running_var]
    names = [graph.constant(f"{name}.{key}", a) for key, a in
             zip(("gamma", "beta", "mean", "var"), arrays, strict=True)]
    graph.node("BatchNormalization", name, *names, epsilon=float(layer.eps))


#: How each layer type becomes ONNX nodes; a layer type missing here cannot be exported.
LAYER_EXPORTS: dict[str, Callable[[_Graph, str, Any], None]] = {
    "Dense": _dense,
    "BatchNorm": _batchnorm,
    "ReLU": lambda g, name, layer: g.node("Relu", name),
    "LeakyReLU": lambda g, name, layer: g.node("LeakyRelu", name, alpha=float(layer.alpha)),
    "Sigmoid": lambda g, name, layer: g.node("Sigmoid", name),
    "Tanh": lambda g, name, layer: g.node("Tanh", name),
    "Softmax": lambda g, name, layer: g.node("Softmax", name, axis=1),
    "Dropout": lambda g, name, layer: None,
    "Identity": lambda g, name, layer: None,
}


def _normalisation(graph: _Graph, normalization: dict[str, Any] | None) -> None:
    """x' = (x − mean) / std, with the model's own statistics (global floats or per-pixel)."""
    if not normalization:
        return
    graph.node("Sub", "normalise.sub", graph.constant("normalise.mean", normalization["mean"]))
    graph.node("Div", "normalise.div", graph.constant("normalise.std", normalization["std"]))


def to_onnx(trained: Any) -> Any:
    """The `onnx.ModelProto` of a `barenet.saving.modelfile.TrainedModel`, checked in full."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = trained.model
    graph = _Graph(helper, numpy_helper)
    _normalisation(graph, trained.normalization)
    for i, layer in enumerate(model.layers):
        kind = type(layer).__name__
        if kind not in LAYER_EXPORTS:
            raise ModelFileError(_("layer {i} is a {kind}, which barenet cannot export to ONNX yet; "
                                   "exportable layers: {LAYER_EXPORTS}").format(
                                     i=i, kind=kind, LAYER_EXPORTS=', '.join(LAYER_EXPORTS)))
        LAYER_EXPORTS[kind](graph, f"{i}.{kind}", layer)
    if model.output_activation == "softmax":
        graph.node("Softmax", "output.softmax", axis=1)
    elif model.output_activation == "sigmoid":
        graph.node("Sigmoid", "output.sigmoid")
    graph.nodes.append(helper.make_node("Identity", [graph.current], ["probabilities"], name="output"))
    inputs = [helper.make_tensor_value_info("pixels", TensorProto.FLOAT, ["N", model.input_size()])]
    outputs = [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT,
                                             ["N", model.output_size()])]
    onnx_graph = helper.make_graph(graph.nodes, "barenet", inputs, outputs, graph.constants)
    proto = helper.make_model(onnx_graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="barenet", doc_string=f"barenet {model.describe()}")
    proto.metadata_props.add(key="class_names", value=",".join(trained.class_names))
    onnx.checker.check_model(proto, full_check=True)
    return proto


def export(trained: Any, path: str | Path) -> Path:
    """Write `trained` as an ONNX file at `path`, atomically (the old file or the new one)."""
    from barenet.files import atomic_write

    path = Path(path)
    data = to_onnx(trained).SerializeToString()
    try:
        atomic_write(path, data)
    except OSError as exc:
        raise ModelFileError(_("{path}: cannot write the ONNX file ({strerror}); choose a writable --onnx "
                               "path").format(
                                 path=path, strerror=exc.strerror or exc)) from None
    return path
