"""The exercises, one module each, in the order of the tutorial's chapters (see exercise.py)."""

from __future__ import annotations

import importlib

#: Exercise ids in the order `barenet exercises` lists them (the chapters' order).
ORDER = ("relu", "sigmoid", "softmax", "cross_entropy", "softmax_cross_entropy_backward", "mse",
         "numerical_gradient", "dense", "two_layer_net", "minibatches", "sgd_momentum", "adam",
         "batchnorm")

MODULES = []
for _name in ORDER:
    try:
        MODULES.append(importlib.import_module(f"{__name__}.{_name}"))
    except ModuleNotFoundError as _exc:  # an exercise not written yet
        if _exc.name != f"{__name__}.{_name}":
            raise
