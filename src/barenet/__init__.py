"""barenet: neural networks in bare NumPy.

A fully connected network whose forward and backward passes are written by hand, trained with
mini-batch gradient descent, gradient-checked, and wrapped in a command-line tool for MNIST.

    >>> from barenet import Sequential, Dense, ReLU, SoftmaxCrossEntropy, Adam

The engine lives in `barenet.nn` and depends on NumPy alone.
"""

from __future__ import annotations

__version__ = "0.1.0"

from barenet.nn import *  # noqa: F403  (the engine's public API, re-exported)
from barenet.nn import __all__ as _nn_all

__all__ = ["__version__", *_nn_all]
