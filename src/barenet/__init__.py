"""barenet: neural networks in bare NumPy.

A fully connected network whose forward and backward passes are written by hand, trained with
mini-batch gradient descent, gradient-checked, and wrapped in a command-line tool for MNIST.

    >>> from barenet import Sequential, Dense, ReLU, SoftmaxCrossEntropy, Adam, load_mnist

The engine lives in `barenet.nn` and depends on NumPy alone.

Nothing is imported until it is used (PEP 562): `from barenet import Sequential` loads the
engine, `import barenet.data.idx` does not, and `barenet --help` starts without NumPy. A public
name of the package is one entry of `PUBLIC_NAMES` (name → the module that defines it); add
yours there.
"""

from __future__ import annotations

import importlib

from barenet.version import __version__

# The engine's public API (barenet.nn.__all__), re-exported at the top level.
_ENGINE_NAMES = (
    "INITIALIZERS", "LAYERS", "LOSSES", "MSE", "OPTIMIZERS", "SCHEDULES", "SGD", "Adam",
    "BinaryCrossEntropy", "Callback", "Constant", "Cosine", "CrossEntropy", "Dense", "Dropout",
    "ExponentialDecay", "History", "Identity", "Layer", "LeakyReLU", "Loss", "Momentum",
    "Optimizer", "RMSprop", "ReLU", "Sequential", "Sigmoid", "Softmax", "SoftmaxCrossEntropy",
    "StepDecay", "Tanh", "evaluate", "fit", "get_initializer",
    "ACTIVATIONS", "SAMPLINGS", "Nesterov", "labels_from_outputs",
    "BatchNorm", "AdamW", "CosineSteps", "ExponentialSteps", "LinearWarmup", "OneCycle",
    "check_gradients", "sigmoid", "softmax",
)

# Every public name of `barenet`: the module it is loaded from on first use.
PUBLIC_NAMES: dict[str, str] = {
    **dict.fromkeys(_ENGINE_NAMES, "barenet.nn"),
    "load_mnist": "barenet.data.mnist_arrays",
}

__all__ = ["__version__", *PUBLIC_NAMES]


def __getattr__(name: str) -> object:
    """A public name (imported from its module on first use) or a submodule (`barenet.nn`)."""
    if name in PUBLIC_NAMES:
        value = getattr(importlib.import_module(PUBLIC_NAMES[name]), name)
        globals()[name] = value  # later look-ups do not come back here
        return value
    if not name.startswith("__"):
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
