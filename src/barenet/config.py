"""One training configuration, from flags or a TOML file, and the network it describes.

`TrainingConfig` holds every choice of a training run; `build(config)` turns it into the model,
loss, optimiser and learning-rate schedule, drawing the initial weights from a Generator seeded
with `config.seed`. The model file records `config.to_dict()`, so `--config` can replay a run.

Output and loss go together (the fused pairs train on raw scores, see `barenet.nn.losses`):

    loss            output    network ends in            loss object
    cross_entropy   softmax   Dense (scores)             SoftmaxCrossEntropy (fused)
    cross_entropy   sigmoid   Dense (scores)             BinaryCrossEntropy (fused; Nielsen's
    binary_cross_…  sigmoid   Dense (scores)               "cross-entropy" with sigmoid outputs)
    mse             softmax   Dense, Softmax             MSE
    mse             sigmoid   Dense, Sigmoid             MSE
    mse             linear    Dense                      MSE
"""

from __future__ import annotations

import dataclasses
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from barenet.errors import ConfigError

ACTIVATIONS = ("relu", "leaky_relu", "sigmoid", "tanh", "identity")
OUTPUTS = ("softmax", "sigmoid", "linear")
LOSS_NAMES = ("cross_entropy", "binary_cross_entropy", "mse")
OPTIMIZER_NAMES = ("sgd", "momentum", "nesterov", "rmsprop", "adam")
SCHEDULE_NAMES = ("constant", "step", "exponential", "cosine")
SAMPLING_NAMES = ("shuffle", "sequential", "replacement")
NORMALIZATIONS = ("none", "standardize")


@dataclass
class TrainingConfig:
    """Every choice of a training run. The defaults are barenet's measured MNIST recipe."""

    # data
    dataset: str = "mnist"
    data_dir: str | None = None
    classes: list[int] | None = None  # a class subset, e.g. [0, 1]; None = all
    val_size: int = 5000  # held out of the training set, stratified
    normalization: str = "none"  # "none": pixels in [0, 1]; "standardize": (x − mean) / std
    # network
    hidden: list[int] = field(default_factory=lambda: [512, 512])
    activation: list[str] = field(default_factory=lambda: ["relu"])  # one, or one per layer
    output: str = "softmax"
    loss: str = "cross_entropy"
    init: list[str] = field(default_factory=lambda: ["auto"])  # weights: one, or one per layer
    bias_init: str = "zeros"
    dropout: float = 0.2
    # optimisation
    optimizer: str = "adam"
    lr: float = 1e-3
    momentum: float = 0.9
    weight_decay: float = 0.0  # L2 penalty λ on the weights (not the biases)
    schedule: str = "cosine"
    step_size: int = 10
    gamma: float = 0.5
    min_lr: float = 0.0
    epochs: int = 20
    steps: int | None = None  # train for this many batches instead; sets epochs (last one partial)
    batch_size: int = 128
    sampling: str = "shuffle"
    early_stopping: int | None = None  # patience in epochs, on the validation loss
    seed: int = 0
    # output
    out: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "configuration") -> TrainingConfig:
        """A validated config from a dict (a TOML table or a model file's record)."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(
                f"{source}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        config = cls(**{k: v for k, v in data.items()})
        config.validate(source)
        return config

    def replace(self, **changes: Any) -> TrainingConfig:
        return dataclasses.replace(self, **changes)

    def layer_activations(self) -> list[str]:
        """One activation per hidden layer (a single name applies to all)."""
        return per_layer(self.activation, len(self.hidden), "activation")

    def layer_inits(self) -> list[str]:
        """One weight initialiser per Dense layer (hidden layers and the output layer)."""
        inits = per_layer(self.init, len(self.hidden) + 1, "init")
        activations = [*self.layer_activations(), self.output]
        return [auto_init(a) if i == "auto" else i for i, a in zip(inits, activations, strict=True)]

    def validate(self, source: str = "configuration") -> None:
        """Raise ConfigError naming the first bad setting, its value, and what is allowed."""

        def bad(name: str, value: Any, allowed: str) -> ConfigError:
            return ConfigError(f"{source}: {name} = {value!r} is invalid; {allowed}")

        def check_type(name: str, value: Any, types: tuple[type, ...]) -> None:
            if isinstance(value, bool) or not isinstance(value, types):
                raise bad(name, value, f"expected {' or '.join(t.__name__ for t in types)}")

        for name in ("val_size", "epochs", "batch_size", "seed", "step_size"):
            check_type(name, getattr(self, name), (int,))
        for name in ("lr", "momentum", "weight_decay", "gamma", "min_lr", "dropout"):
            check_type(name, getattr(self, name), (int, float))
        if not isinstance(self.hidden, list) or not all(
            isinstance(h, int) and not isinstance(h, bool) and h > 0 for h in self.hidden
        ):
            raise bad("hidden", self.hidden, "expected a list of positive layer sizes, e.g. 512,512")
        for name in ("activation", "init"):
            value = getattr(self, name)
            if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
                raise bad(name, value, "expected a name or a comma-separated list of names")
        for a in self.activation:
            if a not in ACTIVATIONS:
                raise bad("activation", a, f"choose from {', '.join(ACTIVATIONS)}")
        self.layer_activations()
        from barenet.nn.initializers import get_initializer

        for spec in [*self.init, self.bias_init]:
            if spec != "auto":
                try:
                    get_initializer(spec)
                except ValueError as exc:
                    raise ConfigError(f"{source}: {exc}") from None
        self.layer_inits()
        choices = {
            "output": OUTPUTS, "loss": LOSS_NAMES, "optimizer": OPTIMIZER_NAMES,
            "schedule": SCHEDULE_NAMES, "sampling": SAMPLING_NAMES, "normalization": NORMALIZATIONS,
        }
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise bad(name, getattr(self, name), f"choose from {', '.join(allowed)}")
        if (self.loss, self.output) in (("cross_entropy", "linear"), ("binary_cross_entropy", "softmax"),
                                        ("binary_cross_entropy", "linear")):
            raise ConfigError(
                f"{source}: loss {self.loss} does not go with output {self.output}; use "
                "cross_entropy with softmax, binary_cross_entropy with sigmoid, or mse with any output"
            )
        if not self.lr > 0:
            raise bad("lr", self.lr, "the learning rate must be positive, e.g. 0.001")
        if not 0 <= self.dropout < 1:
            raise bad("dropout", self.dropout, "a probability in [0, 1), e.g. 0.2")
        if not 0 <= self.momentum < 1:
            raise bad("momentum", self.momentum, "in [0, 1), e.g. 0.9")
        if self.weight_decay < 0:
            raise bad("weight_decay", self.weight_decay, "must be ≥ 0")
        if self.epochs < 1:
            raise bad("epochs", self.epochs, "at least 1")
        if self.batch_size < 1:
            raise bad("batch_size", self.batch_size, "at least 1 (1 = per-sample SGD)")
        if self.val_size < 0:
            raise bad("val_size", self.val_size, "0 or more samples")
        if self.seed < 0:
            raise bad("seed", self.seed, "a non-negative integer")
        if self.steps is not None:
            check_type("steps", self.steps, (int,))
            if self.steps < 1:
                raise bad("steps", self.steps, "at least 1 batch, e.g. 10000 (or leave unset for epochs)")
        if self.early_stopping is not None:
            check_type("early_stopping", self.early_stopping, (int,))
            if self.early_stopping < 1 or self.val_size == 0:
                raise bad("early_stopping", self.early_stopping,
                          "a patience ≥ 1 epoch, with a validation set (val_size > 0)")
        if self.classes is not None:
            if (not isinstance(self.classes, list) or len(self.classes) < 2
                    or len(set(self.classes)) != len(self.classes)
                    or not all(isinstance(c, int) and not isinstance(c, bool) and c >= 0
                               for c in self.classes)):
                raise bad("classes", self.classes, "two or more distinct class numbers, e.g. 0,1")
        if self.step_size < 1:
            raise bad("step_size", self.step_size, "at least 1 epoch")


def per_layer(values: list[str], n: int, name: str) -> list[str]:
    """Expand one value to n layers, or check that a list has exactly n values."""
    if len(values) == 1:
        return values * n
    if len(values) != n:
        raise ConfigError(f"{name}: {len(values)} values given for {n} layers; give one or {n}")
    return list(values)


def activation_layer(name: str):
    """A fresh activation layer from its name in ACTIVATIONS (relu, leaky_relu, ...)."""
    from barenet import nn

    layers = {"relu": nn.ReLU, "leaky_relu": nn.LeakyReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh,
              "identity": nn.Identity}
    return layers[name]()


def auto_init(activation: str) -> str:
    """The variance-preserving initialiser for the activation a layer feeds."""
    return "he_normal" if activation in ("relu", "leaky_relu") else "xavier_uniform"


def load_toml(path: str | Path) -> dict[str, Any]:
    """The settings of a TOML file (a top-level table, or a [train] table)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found; check the --config path") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory; --config takes a TOML file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix the file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the configuration ({exc})") from None
    return data.get("train", data)


def build(config: TrainingConfig, n_inputs: int, n_classes: int, dtype=None):
    """(model, loss, optimizer, schedule) for `config`, weights drawn with seed `config.seed`.

    n_inputs: features per sample (784 for MNIST); n_classes: output units (K).
    """
    import numpy as np

    from barenet import nn

    dtype = dtype or np.float32
    rng = np.random.default_rng(config.seed)
    layers: list[nn.Layer] = []
    sizes = [n_inputs, *config.hidden]
    inits = config.layer_inits()
    for i, activation in enumerate(config.layer_activations()):
        layers.append(nn.Dense(sizes[i], sizes[i + 1], inits[i], config.bias_init, rng, dtype))
        layers.append(activation_layer(activation))
        if config.dropout > 0:
            layers.append(nn.Dropout(config.dropout))
    layers.append(nn.Dense(sizes[-1], n_classes, inits[-1], config.bias_init, rng, dtype))

    if config.loss == "mse":
        if config.output == "softmax":
            layers.append(nn.Softmax())
        elif config.output == "sigmoid":
            layers.append(nn.Sigmoid())
        model = nn.Sequential(layers)
        loss: nn.Loss = nn.MSE()
    elif config.output == "softmax":
        model, loss = nn.Sequential(layers, output_activation="softmax"), nn.SoftmaxCrossEntropy()
    else:
        model, loss = nn.Sequential(layers, output_activation="sigmoid"), nn.BinaryCrossEntropy()

    wd = config.weight_decay
    optimizer: nn.Optimizer
    if config.optimizer == "sgd":
        optimizer = nn.SGD(config.lr, weight_decay=wd)
    elif config.optimizer in ("momentum", "nesterov"):
        optimizer = nn.Momentum(config.lr, config.momentum, config.optimizer == "nesterov", wd)
    elif config.optimizer == "rmsprop":
        optimizer = nn.RMSprop(config.lr, weight_decay=wd)
    else:
        optimizer = nn.Adam(config.lr, weight_decay=wd)

    schedule = {
        "constant": lambda: nn.Constant(config.lr),
        "step": lambda: nn.StepDecay(config.lr, config.step_size, config.gamma),
        "exponential": lambda: nn.ExponentialDecay(config.lr, config.gamma),
        "cosine": lambda: nn.Cosine(config.lr, config.epochs, config.min_lr),
    }[config.schedule]()
    return model, loss, optimizer, schedule
