"""The configuration takes its names from the engine's registries: one name per concept."""

from __future__ import annotations

import math

import numpy as np
import pytest

from barenet import nn
from barenet.cli import build_parser
from barenet.errors import ConfigError
from barenet.experiment.config import HEADS, TrainingConfig, build, build_optimizer, build_schedule


def gradcheck_losses() -> list[str]:
    parser = build_parser(["gradcheck"])
    sub = next(a for a in parser._actions if a.dest == "command").choices["gradcheck"]
    return list(next(a for a in sub._actions if a.dest == "loss").choices)


def test_train_and_gradcheck_take_the_engines_loss_names():
    assert set(gradcheck_losses()) == set(nn.LOSSES)
    for name in nn.LOSSES:
        outputs = [output for loss, output in HEADS if loss == name]
        assert outputs, name
        for output in outputs:
            TrainingConfig(loss=name, output=output).validate()


def test_an_unknown_loss_lists_the_registrys_names():
    with pytest.raises(ConfigError, match="loss = 'hinge' is invalid; choose from " + ", ".join(nn.LOSSES)):
        TrainingConfig(loss="hinge").validate()


@pytest.mark.parametrize("output", ["sigmoid", "linear"])
def test_softmax_cross_entropy_needs_a_softmax_output(output):
    with pytest.raises(ConfigError, match=f"softmax_cross_entropy does not go with output {output}"):
        TrainingConfig(loss="softmax_cross_entropy", output=output).validate()


def test_softmax_cross_entropy_is_the_recipes_fused_loss_by_its_engine_name():
    a_model, a_loss, _, _ = build(TrainingConfig(hidden=[8], seed=3), 6, 4)
    b_model, b_loss, _, _ = build(TrainingConfig(hidden=[8], seed=3, loss="softmax_cross_entropy"), 6, 4)
    assert type(a_loss) is type(b_loss) is nn.SoftmaxCrossEntropy
    assert a_model.describe() == b_model.describe() and a_model.output_activation == "softmax"
    for (p, _), (q, _) in zip(a_model.parameters(), b_model.parameters(), strict=True):
        np.testing.assert_array_equal(p, q)


@pytest.mark.parametrize("name", list(nn.OPTIMIZERS))
def test_every_registered_optimiser_is_built_with_the_configured_settings(name):
    config = TrainingConfig(optimizer=name, lr=0.05, momentum=0.7, weight_decay=1e-3)
    optimizer = build_optimizer(config)
    assert type(optimizer) is nn.OPTIMIZERS[name]
    assert optimizer.lr == pytest.approx(0.05) and optimizer.weight_decay == pytest.approx(1e-3)
    if name in ("momentum", "nesterov"):
        assert optimizer.momentum == pytest.approx(0.7)
        assert optimizer.nesterov == (name == "nesterov")


def test_every_registered_schedule_follows_its_formula():
    config = TrainingConfig(lr=0.1, step_size=3, gamma=0.5, epochs=10, min_lr=0.01)
    expected = {
        "constant": lambda e: 0.1,
        "step": lambda e: 0.1 * 0.5 ** (e // 3),
        "exponential": lambda e: 0.1 * 0.5**e,
        "cosine": lambda e: 0.01 + 0.5 * (0.1 - 0.01) * (1 + math.cos(math.pi * e / 10)),
    }
    # per batch s of S = 1000: the settings the configuration has, the schedule's defaults else
    per_step = {
        "warmup": lambda s: 0.1 * min(1, (s + 1) / 500),
        "cosine_steps": lambda s: 0.01 + 0.5 * (0.1 - 0.01) * (1 + math.cos(math.pi * s / 1000)),
        "one_cycle": lambda s: 0.1 / 25 + 0.5 * (0.1 - 0.1 / 25) * (1 - math.cos(math.pi * s / 300)),  # up
        "exponential_steps": lambda s: 0.1 * 0.5**s,
    }
    assert set(expected) | set(per_step) == set(nn.SCHEDULES)
    for name, formula in expected.items():
        schedule = build_schedule(config.replace(schedule=name))
        for epoch in (0, 1, 4, 9):
            assert schedule(epoch * 7, 7, 70) == pytest.approx(formula(epoch)), (name, epoch)
    for name, formula in per_step.items():
        schedule = build_schedule(config.replace(schedule=name))
        for step in (0, 1, 120, 299):
            assert schedule(step, 100, 1000) == pytest.approx(formula(step)), (name, step)
