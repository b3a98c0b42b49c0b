"""The engine: a fully connected network in NumPy alone, every backward pass written by hand.

    layer.py         the layer protocol: forward(x, training) / backward(grad_out)
    layers.py        Dense (z = x W + b), Identity, Dropout (inverted)
    batchnorm.py     BatchNorm: each feature normalised by its batch, then γ x̂ + β
    activations.py   ReLU, LeakyReLU, Sigmoid, Tanh, Softmax
    losses.py        MSE, CrossEntropy, SoftmaxCrossEntropy, BinaryCrossEntropy
    initializers.py  zeros, normal, uniform, LeCun, Xavier/Glorot, He/Kaiming
    optimizers.py    SGD, Momentum (Nesterov), RMSprop, Adam, AdamW; L2 weight decay, max-norm
    schedules.py     learning rates per epoch (constant, step, exponential, cosine) and per
                     batch (warm-up, cosine, one-cycle, exponential)
    model.py         Sequential: forward through the layers, backward in reverse
    training.py      fit: the mini-batch loop (its step: forward, loss, backward, optimiser)
    history.py       History of a run, Callback hooks
    checks.py        fit's arguments checked, one clear error each
    stopping.py      snapshots, early stopping, the error of a diverged run
    fast/            the same step, fast: flat θ, in-place layers, fused optimisers (fit's default)
    labels.py        labels_from_outputs: the class of each row of outputs
    gradcheck.py     central-difference gradient check

Conventions: batches are rows, x: (batch, features); Dense computes z = x @ W + b with
W: (n_in, n_out), b: (n_out,); the engine computes in the dtype of its parameters and inputs
(float32 to train, float64 to check gradients); losses average over the batch.
"""

from barenet.nn.activations import ACTIVATIONS, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh, sigmoid, softmax
from barenet.nn.batchnorm import BatchNorm
from barenet.nn.gradcheck import check_gradients
from barenet.nn.initializers import INITIALIZERS, get_initializer
from barenet.nn.labels import labels_from_outputs
from barenet.nn.layer import Layer
from barenet.nn.layers import Dense, Dropout, Identity
from barenet.nn.losses import (
    LOSSES,
    MSE,
    BinaryCrossEntropy,
    CrossEntropy,
    Loss,
    SoftmaxCrossEntropy,
)
from barenet.nn.model import LAYERS, Sequential
from barenet.nn.optimizers import OPTIMIZERS, SGD, Adam, AdamW, Momentum, Nesterov, Optimizer, RMSprop
from barenet.nn.schedules import (
    SCHEDULES,
    Constant,
    Cosine,
    CosineSteps,
    ExponentialDecay,
    ExponentialSteps,
    LinearWarmup,
    OneCycle,
    StepDecay,
)
from barenet.nn.training import SAMPLINGS, Callback, History, evaluate, fit

__all__ = [
    "ACTIVATIONS",
    "INITIALIZERS",
    "LAYERS",
    "LOSSES",
    "MSE",
    "OPTIMIZERS",
    "SAMPLINGS",
    "SCHEDULES",
    "SGD",
    "Adam",
    "AdamW",
    "BatchNorm",
    "BinaryCrossEntropy",
    "Callback",
    "Constant",
    "Cosine",
    "CosineSteps",
    "CrossEntropy",
    "Dense",
    "Dropout",
    "ExponentialDecay",
    "ExponentialSteps",
    "History",
    "Identity",
    "Layer",
    "LeakyReLU",
    "LinearWarmup",
    "Loss",
    "Momentum",
    "Nesterov",
    "OneCycle",
    "Optimizer",
    "RMSprop",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "SoftmaxCrossEntropy",
    "StepDecay",
    "Tanh",
    "check_gradients",
    "evaluate",
    "fit",
    "get_initializer",
    "labels_from_outputs",
    "sigmoid",
    "softmax",
]
