"""Recognising a digit: the network's probabilities, the winning class, and a saliency map.

Shared by `barenet predict` (a batch of image files) and the drawing page's server (one digit per
request, from many threads):

    check_image_model(trained)      the model must read 28×28 images (784 inputs)
    class_names(trained)            the names of its classes, in output order
    class_probabilities(proba)      (N, K) rows summing to 1 (one sigmoid unit p → [1 − p, p])
    Recognizer(trained).recognize(pixels) → Recognition(probabilities, winner, label, saliency)

For one digit:

    pixels (28, 28) float32 in [0, 1], white ink on black (what `barenet.digits` produces)
        ──TrainedModel.prepare──▶ x (1, 784), the model's input (standardised if it was trained so)
        ──model.forward──▶ scores s (1, K)      ──predict_proba──▶ probabilities (K,)
        ──model.backward(one-hot of the winner)──▶ ∂s_c/∂x (1, 784) ──· ∂x/∂pixel──▶ saliency

Saliency is the magnitude of the gradient of the winning class's *score* (the network's output
before `predict_proba`'s softmax, i.e. the logit, for models trained with the fused softmax
cross-entropy) with respect to each input pixel, computed with barenet's own backward pass:

    saliency_ij = |∂s_c / ∂pixel_ij| / max_kl |∂s_c / ∂pixel_kl|        in [0, 1]

Why the score and not the probability: ∂p_c/∂x = p_c·(∂s_c/∂x − Σ_k p_k ∂s_k/∂x) vanishes when the
network is confident (p_c ≈ 1), so a clear digit would show an empty map; the score's gradient
says which pixels push toward the winning class whatever the confidence. For a network with no
hidden layer, s = x·W + b and the map is |W[:, c]|, the winner's weight column (the tests check
exactly this). With standardised inputs x = (pixel − mean)/std, the chain rule adds a factor 1/std.

A model whose last layer is itself a Softmax or Sigmoid (trained with MSE) has probabilities as
its output; the map is then the gradient of that output, the only score it has.

The layers keep the activations of the last forward pass for their backward pass, so one
`Recognizer` serialises its model's forward/backward behind a lock: the server answers requests
from many threads, and the work under the lock is two small matrix products each way.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from barenet.errors import ModelFileError
from barenet.i18n import _
from barenet.nn import labels_from_outputs
from barenet.saving.modelfile import TrainedModel

SIDE = 28  # MNIST's image side: the page and `barenet predict` feed 28×28 digits


@dataclass(frozen=True)
class Recognition:
    """The network's answer for one digit.

    probabilities: (K,) float64 summing to 1, in class order (a one-unit sigmoid model gives
        K = 2: [1 − p, p]).
    winner: index of the most probable class; `label` is its class name.
    saliency: (28, 28) float32 in [0, 1], see the module docstring (all zero if the gradient is).
    """

    probabilities: np.ndarray
    winner: int
    label: str
    saliency: np.ndarray


def class_probabilities(proba: np.ndarray) -> np.ndarray:
    """(N, K) model probabilities -> (N, K') rows summing to 1: one sigmoid unit p becomes [1 − p, p]."""
    proba = np.asarray(proba, dtype=np.float64)
    if proba.shape[1] == 1:
        proba = np.concatenate([1.0 - proba, proba], axis=1)  # (N, 1) -> (N, 2)
    total = proba.sum(axis=1, keepdims=True)
    return proba / np.where(total > 0, total, 1.0)


def check_image_model(trained: TrainedModel, source: str = "the model") -> None:
    """Raise ModelFileError unless the model reads 28×28 images (784 inputs)."""
    n_in = trained.model.input_size()
    if n_in != SIDE * SIDE:
        raise ModelFileError(_("{source} reads {n_in} inputs, but a digit image gives 28×28 = 784: "
                               "use a model trained on 28×28 images").format(source=source, n_in=n_in))


def class_names(trained: TrainedModel) -> list[str]:
    """The model's class names in output order; "0", "1", ... if the file records none."""
    k = trained.model.output_size()
    return list(trained.class_names) or [str(i) for i in range(max(k, 2))]


class Recognizer:
    """Thread-safe recognition with one trained model.

    recognize(pixels (28, 28) in [0, 1]) -> Recognition
    """

    def __init__(self, trained: TrainedModel) -> None:
        check_image_model(trained)
        self.trained = trained
        self.class_names = class_names(trained)
        self._lock = threading.Lock()

    def recognize(self, pixels: np.ndarray) -> Recognition:
        """Probabilities, winner and saliency for one digit (28, 28) float in [0, 1]."""
        pixels = np.asarray(pixels, dtype=np.float32).reshape(1, SIDE * SIDE)  # (28, 28) -> (1, 784)
        x = self.trained.prepare(pixels)  # (1, 784) model input
        model = self.trained.model
        with self._lock:  # layers hold the last forward's activations until backward has run
            proba = class_probabilities(model.predict_proba(x))  # (1, K)
            winner = int(labels_from_outputs(proba)[0])
            proba = proba[0]  # (K,)
            scores = model.forward(x)  # (1, K) scores (logits for fused softmax models)
            grad = np.zeros_like(scores)
            # One sigmoid unit scores class 1; its gradient's magnitude serves either class.
            grad[0, winner if scores.shape[1] > 1 else 0] = 1.0  # ∂s_c/∂s = one-hot
            dx = model.backward(grad)  # (1, 784) ∂s_c/∂x
        dpixel = np.abs(dx[0].astype(np.float64)) * self._input_scale()  # ∂x/∂pixel = 1/std
        peak = float(dpixel.max())
        saliency = (dpixel / peak if peak > 0 else dpixel).astype(np.float32).reshape(SIDE, SIDE)
        return Recognition(probabilities=proba, winner=winner, label=self.class_names[winner],
                           saliency=saliency)

    def _input_scale(self) -> np.ndarray | float:
        """∂x/∂pixel: 1/std for standardised inputs x = (pixel − mean)/std, else 1."""
        norm = self.trained.normalization
        if not norm:
            return 1.0
        std = np.asarray(norm.get("std", 1.0), dtype=np.float64)
        return 1.0 / std
