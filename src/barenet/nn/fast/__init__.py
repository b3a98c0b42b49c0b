"""The fast path of `fit`: the textbook's training step, computed where the speed is.

    with FastStep(model, loss, optimizer) as step:   # binds the layers to one flat θ, ∇θ
        L, predicted = step(x_batch, y_batch)        # forward, loss, backward, optimiser step

does what these four lines of the textbook engine do, and computes the same numbers
(`tests/test_nn_fast.py` holds it to them, for every layer, loss and optimiser):

    output = model.forward(x_batch, training=True)
    L = loss.forward(output, y_batch)
    model.backward(loss.backward())
    optimizer.step(model.parameters())

    flat.py         FlatParameters: all parameters in one vector θ, all gradients in ∇θ
    layers.py       Dense, ReLU and softmax cross-entropy in place, no wasted product
    optimizers.py   every optimiser on θ at once: cache blocks, threads, subnormal flushing

Bit-identical to the textbook where it performs the same operations (Dense, ReLU, dropout,
BatchNorm, SGD, momentum, weight decay, max-norm), equal to float rounding where it reorders
them (Adam's folded bias correction, RMSprop, the loss's value). What it measurably buys:
docs/design.md ("The engine a learner reads, and the fast path beside it").
"""

from __future__ import annotations

import os

import numpy as np

from barenet.nn.fast import layers
from barenet.nn.fast.flat import FlatParameters
from barenet.nn.fast.optimizers import FusedOptimizer, rule_for
from barenet.nn.losses import Loss, SoftmaxCrossEntropy
from barenet.nn.model import Sequential
from barenet.nn.optimizers import Optimizer

#: Threads of the optimiser's step: the cores, at most two (more measured no faster on MNIST).
THREADS = min(2, os.cpu_count() or 1)


class FastStep:
    """One training step on a batch, fused; `fit`'s default. See the module docstring."""

    def __init__(self, model: Sequential, loss: Loss, optimizer: Optimizer,
                 threads: int = THREADS) -> None:
        self.model, self.loss, self.optimizer = model, loss, optimizer
        self.flat = FlatParameters.bind(model)
        self.grad_views = dict(zip([(i, name) for i, layer in enumerate(model.layers)
                                    for name in layer.param_names], self.flat.grad_views, strict=True))
        fusable = rule_for(optimizer) is not None
        self.fused = FusedOptimizer(optimizer, self.flat, threads) if fusable else None
        self.fast_loss = type(loss) is SoftmaxCrossEntropy and not loss.label_smoothing

    def __call__(self, x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        """(the batch's loss L, the predicted classes); θ stepped."""
        model, loss = self.model, self.loss
        output = layers.forward(model.layers, x)
        if self.fast_loss and y.ndim == 1:
            value, grad, predicted = layers.softmax_cross_entropy(loss, output, y)
        else:
            value, predicted = loss.forward(output, y), loss.labels(output)
            grad = loss.backward()
        layers.backward(model.layers, grad, self.grad_views)
        if self.fused is not None:
            self.fused.step()
        else:
            self.optimizer.step(model.parameters())
        return value, predicted

    def close(self) -> None:
        """Stop the optimiser's threads."""
        if self.fused is not None:
            self.fused.close()

    def __enter__(self) -> FastStep:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
