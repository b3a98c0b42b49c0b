"""One registry per concept: every name builds the thing it names, and nn exports them all."""

from __future__ import annotations

import numpy as np
import pytest

from barenet import nn


def test_every_registry_is_exported_from_barenet_nn():
    for name in ("LAYERS", "ACTIVATIONS", "LOSSES", "INITIALIZERS", "OPTIMIZERS", "SCHEDULES", "SAMPLINGS"):
        assert name in nn.__all__ and getattr(nn, name)


@pytest.mark.parametrize("name", sorted(nn.ACTIVATIONS))
def test_activation_names_build_elementwise_layers(name):
    layer = nn.ACTIVATIONS[name]()
    assert isinstance(layer, nn.Layer) and nn.LAYERS[type(layer).__name__] is type(layer)
    z = np.array([[-2.0, 0.5, 3.0]])
    out = layer.forward(z.copy())
    assert out.shape == z.shape
    for j in range(3):  # elementwise: each output depends on its own input only
        np.testing.assert_array_equal(layer.forward(z[:, j : j + 1].copy())[:, 0], out[:, j])


def test_activation_names_are_the_snake_case_class_names():
    for name, layer_class in nn.ACTIVATIONS.items():
        assert name.replace("_", "") == layer_class.__name__.lower()


@pytest.mark.parametrize("name", sorted(nn.OPTIMIZERS))
def test_optimizer_names_build_optimizers(name):
    optimizer = nn.OPTIMIZERS[name](lr=0.01)
    assert isinstance(optimizer, nn.Optimizer) and optimizer.lr == 0.01


def test_losses_schedules_and_samplings():
    for name, loss_class in nn.LOSSES.items():
        assert isinstance(loss_class(), nn.Loss), name
    from barenet.nn.schedules import per_epoch, schedule_from_config

    per_step = {"warmup", "cosine_steps", "one_cycle", "exponential_steps"}
    for name, schedule_class in nn.SCHEDULES.items():
        schedule = schedule_class(lr=0.1, **({"epochs": 5} if name == "cosine" else {}))
        assert schedule.config()["name"] == name and schedule_from_config(schedule.config()) == schedule
        assert per_epoch(schedule) == (name not in per_step)
        first = schedule(0, 10, 100)
        assert 0 < first <= 0.1
    assert nn.SAMPLINGS == ("shuffle", "sequential", "replacement")
