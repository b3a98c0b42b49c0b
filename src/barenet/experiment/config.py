"""One training configuration, from flags or a TOML file, and the network it describes.

`TrainingConfig` holds every choice of a training run; `build(config)` turns it into the model,
loss, optimiser and learning-rate schedule, drawing the initial weights from a Generator seeded
with `config.seed`. The model file records `config.to_dict()`, so `--config` can replay a run.

The names of layers' activations, initialisers, losses, optimisers, schedules and sampling modes
are the keys of the engine's registries (`barenet.nn.ACTIVATIONS`, `INITIALIZERS`, `LOSSES`,
`OPTIMIZERS`, `SCHEDULES`, `SAMPLINGS`): one name per concept, the same in flags, TOML files,
model files and `barenet gradcheck`.

Output and loss go together (the fused pairs train on raw scores, see `barenet.nn.losses`):

    loss                   output    network ends in      loss object
    softmax_cross_entropy  softmax   Dense (scores)       SoftmaxCrossEntropy (fused)
    cross_entropy          softmax   Dense (scores)       SoftmaxCrossEntropy: the cross-entropy of
                                                          the softmax outputs, computed fused
    cross_entropy          sigmoid   Dense (scores)       BinaryCrossEntropy (fused; Nielsen's
    binary_cross_entropy   sigmoid   Dense (scores)         "cross-entropy" with sigmoid outputs)
    mse                    softmax   Dense, Softmax       MSE
    mse                    sigmoid   Dense, Sigmoid       MSE
    mse                    linear    Dense                MSE
"""

from __future__ import annotations

import dataclasses
import inspect
import math
import sys
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from barenet import nn
from barenet.errors import ConfigError
from barenet.i18n import _
from barenet.nn import ACTIVATIONS, LOSSES, OPTIMIZERS, SAMPLINGS, SCHEDULES

OUTPUTS = ("softmax", "sigmoid", "linear")
NORMALIZATIONS = ("none", "standardize")
AUGMENTATIONS = ("affine", "elastic")  # what `augment` may list (barenet.data.augment)
AUGMENTATION_STRENGTHS = ("rotate", "scale", "shear", "shift", "elastic_alpha", "elastic_sigma")
# (loss, output) -> (the engine's loss in LOSSES, the layer in LAYERS the network ends in or None,
# the output activation `predict_proba` applies to the scores or None): the module docstring's table.
HEADS: dict[tuple[str, str], tuple[str, str | None, str | None]] = {
    ("softmax_cross_entropy", "softmax"): ("softmax_cross_entropy", None, "softmax"),
    ("cross_entropy", "softmax"): ("softmax_cross_entropy", None, "softmax"),
    ("cross_entropy", "sigmoid"): ("binary_cross_entropy", None, "sigmoid"),
    ("binary_cross_entropy", "sigmoid"): ("binary_cross_entropy", None, "sigmoid"),
    ("mse", "softmax"): ("mse", "Softmax", None),
    ("mse", "sigmoid"): ("mse", "Sigmoid", None),
    ("mse", "linear"): ("mse", None, None),
}
# The settings an optimiser may take from the configuration (each class takes those it names).
OPTIMIZER_SETTINGS = ("lr", "momentum", "weight_decay", "max_norm")
# A hidden layer is at most 4 layers of a model file (Dense, BatchNorm, activation, Dropout), the
# output 2 (Dense, and Softmax or Sigmoid under mse): every run built fits nn.MAX_LAYERS, the most
# a model file may hold, so that what `train` writes `info`, `predict` and `--resume` read.
MAX_HIDDEN_LAYERS = (nn.model.MAX_LAYERS - 2) // 4
MAX_EPOCHS = 100_000  # each epoch is ~150 bytes of the model file's record (64 MB at most)
PATH_LIMIT = 4096  # bytes of a path (Linux's PATH_MAX)


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
    batchnorm: bool = False  # BatchNorm after each hidden Dense layer, before its activation
    label_smoothing: float = 0.0  # ε: softmax targets (1 − ε) y + ε / K
    # optimisation
    optimizer: str = "adam"
    lr: float = 2e-3
    momentum: float = 0.9
    weight_decay: float = 0.0  # L2 penalty λ on the weights (not the biases); adamw: decoupled
    max_norm: float | None = None  # each unit's incoming weights scaled to ‖w‖ ≤ c after a step
    schedule: str = "cosine"
    step_size: int = 10
    gamma: float = 0.5
    min_lr: float = 0.0
    warmup_steps: int | None = None  # warmup, cosine_steps: batches of linear warm-up
    warmup_fraction: float | None = None  # one_cycle: the rising part of the run
    every: int | None = None  # exponential_steps: lr · gamma^(step // every)
    epochs: int = 22
    steps: int | None = None  # train for this many batches instead; sets epochs (last one partial)
    batch_size: int = 256
    sampling: str = "shuffle"
    early_stopping: int | None = None  # patience in epochs, on the validation loss
    seed: int = 0
    # augmentation (barenet.data.augment): new random deformations of every training image each epoch
    augment: list[str] = field(default_factory=lambda: ["affine", "elastic"])  # or [] (none)
    rotate: float = 8.0  # affine: degrees, each image turned by U(−rotate, rotate)
    scale: float = 0.08  # affine: zoom U(1 − scale, 1 + scale)
    shear: float = 8.0  # affine: degrees
    shift: float = 1.5  # affine: pixels, in x and in y
    elastic_alpha: float = 20.0  # elastic: the displacement field's scale α, pixels
    elastic_sigma: float = 4.0  # elastic: the Gaussian smoothing's width σ, pixels
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
                _("{source}: unknown setting(s) {unknown}; known: {known}").format(
                    source=source, unknown=', '.join(unknown), known=', '.join(sorted(known)))
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

    def augmentation(self):
        """The `barenet.data.augment.Augmentation` of `augment` and its strengths, or None when off.

        Raises ConfigError for an unknown kind or a strength out of its range.
        """
        if not isinstance(self.augment, list) or not all(isinstance(a, str) for a in self.augment):
            raise ConfigError(_("augment = {augment!r} is invalid; expected a list of names, e.g. "
                                "affine,elastic").format(augment=self.augment))
        unknown = [a for a in self.augment if a not in AUGMENTATIONS]
        if unknown:
            raise ConfigError(_("augment = {name!r} is invalid; choose from {names} (or none)").format(
                name=unknown[0], names=", ".join(AUGMENTATIONS)))
        if not self.augment:
            return None
        from barenet.data.augment import Augmentation

        affine = "affine" in self.augment
        try:
            return Augmentation(
                rotate=self.rotate if affine else 0, scale=self.scale if affine else 0,
                shear=self.shear if affine else 0, shift=self.shift if affine else 0,
                elastic_alpha=self.elastic_alpha if "elastic" in self.augment else 0,
                elastic_sigma=self.elastic_sigma,
            )
        except ValueError as exc:
            raise ConfigError(_("{error}; e.g. --rotate 10 --scale 0.1 --shear 10 --shift 2").format(
                error=exc)) from None

    def validate(self, source: str = "configuration") -> None:
        """Raise ConfigError naming the first bad setting, its value, and what is allowed."""
        _check_field_types(self, source)
        _check_types(self, source)
        _check_limits(self, source)
        _check_paths(self, source)
        _check_names(self, source)
        _check_ranges(self, source)
        _check_schedule(self, source)
        try:
            self.augmentation()
        except ConfigError as exc:
            raise ConfigError(_("{source}: {error}").format(source=source, error=exc)) from None


def _bad(source: str, name: str, value: Any, allowed: str) -> ConfigError:
    return ConfigError(_("{source}: {name} = {value!r} is invalid; {allowed}").format(
        source=source, name=name, value=value, allowed=allowed))


def _matches(value: Any, hint: Any) -> bool:
    """Whether `value` (from TOML, flags or a model file) has the type a field's annotation names.

    A bool is never a number; a float must be finite; a list is checked element by element.
    """
    if typing.get_origin(hint) in (types.UnionType, typing.Union):
        return any(_matches(value, option) for option in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if typing.get_origin(hint) is list:
        (item,) = typing.get_args(hint)
        return isinstance(value, list) and all(_matches(v, item) for v in value)
    if isinstance(value, bool):
        return hint is bool
    if hint is float:
        return isinstance(value, (int, float)) and math.isfinite(value)
    return isinstance(value, hint)


def _described(hint: Any) -> str:
    """'a string', 'a list of integers', 'a finite number', ... for a field's annotation."""
    words = {str: _("a string"), int: _("an integer"), float: _("a finite number"),
             bool: _("true or false")}
    if typing.get_origin(hint) in (types.UnionType, typing.Union):
        options = [o for o in typing.get_args(hint) if o is not type(None)]
        return _(" or ").join(_described(o) for o in options) + _(" (or left out)")
    if typing.get_origin(hint) is list:
        (item,) = typing.get_args(hint)
        lists = {str: _("a list of strings"), int: _("a list of integers"),
                 float: _("a list of finite numbers")}
        return lists.get(item, _("a list"))
    return words.get(hint, getattr(hint, "__name__", str(hint)))


def _check_field_types(config: TrainingConfig, source: str) -> None:
    """Every setting has its field's type (checked before any value is used, in any key)."""
    hints = typing.get_type_hints(TrainingConfig)
    for f in dataclasses.fields(config):
        value = getattr(config, f.name)
        if not _matches(value, hints[f.name]):
            raise _bad(source, f.name, value,
                       _("expected {kind}").format(kind=_described(hints[f.name])))


def _check_schedule(config: TrainingConfig, source: str) -> None:
    """The learning rate stays finite and positive at every epoch, checked before training.

    Every schedule is monotone between its first and last epoch once γ > 0 (step, exponential)
    and η_min ≥ 0 (cosine), so checking those two epochs checks them all.
    """
    if config.schedule in ("step", "exponential") and not config.gamma > 0:
        raise _bad(source, "gamma", config.gamma, _("the decay factor must be positive, e.g. 0.5 "
                                                    "(a learning rate that turns negative or zero "
                                                    "trains nothing)"))
    if config.schedule == "cosine" and not config.min_lr >= 0:
        raise _bad(source, "min_lr", config.min_lr, _("the final learning rate must be ≥ 0"))
    schedule = build_schedule(config)
    per_step = not nn.schedules.per_epoch(schedule)  # checked over a nominal 1000 batches
    steps = 1000 if per_step else config.epochs  # per epoch: one batch an epoch
    for when in (0, steps - 1):
        try:
            lr = schedule(when, 1, steps)
        except OverflowError:
            lr = math.inf
        if not (math.isfinite(lr) and lr > 0):
            at = (_("batch {n}") if per_step else _("epoch {n}")).format(n=when + 1)
            raise ConfigError(_("{source}: the {schedule} schedule gives learning rate {lr:g} at "
                                "{at}; it must stay finite and positive: change --lr, --gamma or "
                                "--min-lr").format(source=source, schedule=config.schedule, lr=lr,
                                                   at=at))


def _check_type(source: str, name: str, value: Any, types: tuple[type, ...]) -> None:
    if isinstance(value, bool) or not isinstance(value, types):
        raise _bad(source, name, value, _("expected {types}").format(
            types=_(" or ").join(t.__name__ for t in types)))


def _check_types(config: TrainingConfig, source: str) -> None:
    """Numbers are numbers, `hidden` a list of sizes, `activation` and `init` lists of names."""
    for name in ("val_size", "epochs", "batch_size", "seed", "step_size"):
        _check_type(source, name, getattr(config, name), (int,))
    for name in ("max_norm", "warmup_fraction"):
        if getattr(config, name) is not None:
            _check_type(source, name, getattr(config, name), (int, float))
    for name in ("warmup_steps", "every"):
        if getattr(config, name) is not None:
            _check_type(source, name, getattr(config, name), (int,))
    _check_type(source, "label_smoothing", config.label_smoothing, (int, float))
    if not isinstance(config.batchnorm, bool):
        raise _bad(source, "batchnorm", config.batchnorm, _("expected true or false"))
    for name in ("lr", "momentum", "weight_decay", "gamma", "min_lr", "dropout", *AUGMENTATION_STRENGTHS):
        _check_type(source, name, getattr(config, name), (int, float))
    if not isinstance(config.hidden, list) or not all(
        isinstance(h, int) and not isinstance(h, bool) and h > 0 for h in config.hidden
    ):
        raise _bad(source, "hidden", config.hidden,
                   _("expected a list of positive layer sizes, e.g. 512,512"))
    for name in ("activation", "init"):
        value = getattr(config, name)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise _bad(source, name, value, _("expected a name or a comma-separated list of names"))


def _check_limits(config: TrainingConfig, source: str) -> None:
    """No more hidden layers or epochs than a model file can hold (what is written is read)."""
    if len(config.hidden) > MAX_HIDDEN_LAYERS:
        raise ConfigError(_("{source}: hidden has {count:,} layers, more than the {most} a model "
                            "file holds; give at most {most} sizes, e.g. 512,512").format(
            source=source, count=len(config.hidden), most=MAX_HIDDEN_LAYERS))
    if config.epochs > MAX_EPOCHS:
        raise ConfigError(_("{source}: epochs = {epochs:,} is more than the {most:,} a model file "
                            "records; give at most {most:,}").format(
            source=source, epochs=config.epochs, most=MAX_EPOCHS))


def _check_paths(config: TrainingConfig, source: str) -> None:
    """data_dir and out are text the operating system can take as a path (no NUL byte, nothing
    its encoding lacks, at most PATH_LIMIT bytes)."""
    import os

    for name in ("data_dir", "out"):
        value = getattr(config, name)
        if value is None:
            continue
        try:
            ok = "\0" not in value and len(os.fsencode(value)) <= PATH_LIMIT
        except UnicodeError:
            ok = False
        if not ok:
            raise ConfigError(_("{source}: {name} = {value} is not a path this system can use (a NUL "
                                "byte, a character its file names cannot hold, or more than "
                                "{most} bytes); give a file path").format(
                source=source, name=name, value=ascii(value[:80]), most=PATH_LIMIT))


def _check_names(config: TrainingConfig, source: str) -> None:
    """Every name is one of its registry's (or of OUTPUTS, NORMALIZATIONS), loss and output agree."""
    for a in config.activation:
        if a not in ACTIVATIONS:
            raise _bad(source, "activation", a,
                       _("choose from {names}").format(names=", ".join(ACTIVATIONS)))
    config.layer_activations()
    for name, specs in (("init", config.init), ("bias_init", [config.bias_init])):
        for spec in specs:
            try:
                if spec != "auto":
                    nn.get_initializer(spec)
            except ValueError:  # the engine's message is English: said again here
                raise _bad(source, name, spec, _(
                    "choose from {names}, or normal:S or uniform:S with a scale 0 < S ≤ {most:g}, "
                    "e.g. normal:0.01").format(names=", ".join(["auto", *nn.INITIALIZERS]),
                                               most=nn.initializers.MAX_SCALE)) from None
    config.layer_inits()
    choices = {
        "output": OUTPUTS, "loss": LOSSES, "optimizer": OPTIMIZERS, "schedule": SCHEDULES,
        "sampling": SAMPLINGS, "normalization": NORMALIZATIONS,
    }
    for name, allowed in choices.items():
        if getattr(config, name) not in allowed:
            raise _bad(source, name, getattr(config, name),
                       _("choose from {names}").format(names=", ".join(allowed)))
    head = HEADS.get((config.loss, config.output), ("",))[0]
    if config.label_smoothing and head != "softmax_cross_entropy":
        raise ConfigError(_("{source}: label_smoothing needs the softmax cross-entropy (loss "
                            "cross_entropy with output softmax); set label_smoothing = 0").format(
                              source=source))
    if (config.loss, config.output) not in HEADS:
        raise ConfigError(
            _("{source}: loss {loss} does not go with output {output}; use softmax_cross_entropy or "
              "cross_entropy with softmax, binary_cross_entropy or cross_entropy with sigmoid, or mse "
              "with any output").format(source=source, loss=config.loss, output=config.output)
        )


def _check_ranges(config: TrainingConfig, source: str) -> None:
    """Every number in its range; the optional settings (steps, early stopping, classes) valid."""
    ranges = [
        ("lr", config.lr > 0, _("the learning rate must be positive, e.g. 0.001")),
        ("dropout", 0 <= config.dropout < 1, _("a probability in [0, 1), e.g. 0.2")),
        ("momentum", 0 <= config.momentum < 1, _("in [0, 1), e.g. 0.9")),
        ("weight_decay", config.weight_decay >= 0, _("must be ≥ 0")),
        ("epochs", config.epochs >= 1, _("at least 1")),
        ("batch_size", config.batch_size >= 1, _("at least 1 (1 = per-sample SGD)")),
        ("val_size", config.val_size >= 0, _("0 or more samples")),
        ("seed", config.seed >= 0, _("a non-negative integer")),
        ("label_smoothing", 0 <= config.label_smoothing < 1, _("in [0, 1), e.g. 0.1")),
        ("max_norm", config.max_norm is None or config.max_norm > 0, _("a positive norm, e.g. 3")),
        ("warmup_steps", config.warmup_steps is None or config.warmup_steps >= 0,
         _("0 or more batches")),
        ("warmup_fraction", config.warmup_fraction is None or 0 < config.warmup_fraction < 1,
         _("in (0, 1), e.g. 0.3")),
        ("every", config.every is None or config.every >= 1, _("at least 1 batch")),
    ]
    for name, ok, allowed in ranges:
        if not ok:
            raise _bad(source, name, getattr(config, name), allowed)
    if config.steps is not None:
        _check_type(source, "steps", config.steps, (int,))
        if config.steps < 1:
            raise _bad(source, "steps", config.steps,
                       _("at least 1 batch, e.g. 10000 (or leave unset for epochs)"))
    if config.early_stopping is not None:
        _check_type(source, "early_stopping", config.early_stopping, (int,))
        if config.early_stopping < 1 or config.val_size == 0:
            raise _bad(source, "early_stopping", config.early_stopping,
                       _("a patience ≥ 1 epoch, with a validation set (val_size > 0)"))
    classes = config.classes
    if classes is not None and (
        not isinstance(classes, list) or len(classes) < 2 or len(set(classes)) != len(classes)
        or not all(isinstance(c, int) and not isinstance(c, bool) and c >= 0 for c in classes)
    ):
        raise _bad(source, "classes", classes, _("two or more distinct class numbers, e.g. 0,1"))
    if config.step_size < 1:
        raise _bad(source, "step_size", config.step_size, _("at least 1 epoch"))


def per_layer(values: list[str], n: int, name: str) -> list[str]:
    """Expand one value to n layers, or check that a list has exactly n values."""
    if len(values) == 1:
        return values * n
    if len(values) != n:
        raise ConfigError(_("{name}: {n_values} values given for {n} layers; give one or {n}").format(
                              name=name, n_values=len(values), n=n))
    return list(values)


def activation_layer(name: str) -> nn.Layer:
    """A fresh activation layer from its name in ACTIVATIONS (relu, leaky_relu, ...)."""
    return ACTIVATIONS[name]()


def auto_init(activation: str) -> str:
    """The variance-preserving initialiser for the activation a layer feeds."""
    return "he_normal" if activation in ("relu", "leaky_relu") else "xavier_uniform"


TOML_LIMIT = 1024 * 1024  # bytes: a configuration is a few hundred


def load_toml(path: str | Path) -> dict[str, Any]:
    """The settings of a TOML file (a top-level table, or a [train] table)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    from barenet.files import FileTooLarge, NotAFile, open_regular

    path = Path(path)
    try:
        with open_regular(path, limit=TOML_LIMIT) as handle:  # a FIFO or /dev/zero: refused
            raw = handle.read()
        # A UTF-8 byte-order mark (Windows Notepad writes one) is not TOML, but is no mistake.
        data = tomllib.loads(raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8"))
    except FileNotFoundError:
        raise ConfigError(_("{path}: configuration file not found; check the --config path").format(
                              path=path)) from None
    except (NotAFile, FileTooLarge) as exc:
        raise ConfigError(_("{path}: {strerror}; --config takes a TOML file").format(
                              path=path, strerror=exc.strerror)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_("{path}: not valid TOML ({error}); fix the file").format(
            path=path, error=exc)) from None
    except (OSError, UnicodeDecodeError, RecursionError) as exc:
        raise ConfigError(_("{path}: cannot read the configuration ({error})").format(
            path=path, error=exc)) from None
    table = data.get("train", data)
    if not isinstance(table, dict):
        raise ConfigError(_("{path}: 'train' must be a table ([train] and settings under it), not "
                            "{kind} {table!r}; fix the file").format(
                              path=path, kind=type(table).__name__, table=table))
    return table


def build(config: TrainingConfig, n_inputs: int, n_classes: int, dtype=None):
    """(model, loss, optimizer, schedule) for `config`, weights drawn with seed `config.seed`.

    n_inputs: features per sample (784 for MNIST); n_classes: output units (K).
    """
    import numpy as np

    dtype = dtype or np.float32
    rng = np.random.default_rng(config.seed)
    layers: list[nn.Layer] = []
    sizes = [n_inputs, *config.hidden]
    inits = config.layer_inits()
    for i, activation in enumerate(config.layer_activations()):
        layers.append(nn.Dense(sizes[i], sizes[i + 1], inits[i], config.bias_init, rng, dtype))
        if config.batchnorm:
            layers.append(nn.BatchNorm(sizes[i + 1], dtype=dtype))
        layers.append(activation_layer(activation))
        if config.dropout > 0:
            layers.append(nn.Dropout(config.dropout))
    layers.append(nn.Dense(sizes[-1], n_classes, inits[-1], config.bias_init, rng, dtype))
    loss_name, last_layer, output_activation = HEADS[(config.loss, config.output)]
    if last_layer is not None:
        layers.append(nn.LAYERS[last_layer]())
    model = nn.Sequential(layers, output_activation=output_activation)
    smoothing = {"label_smoothing": config.label_smoothing} if config.label_smoothing else {}
    return model, LOSSES[loss_name](**smoothing), build_optimizer(config), build_schedule(config)


def build_optimizer(config: TrainingConfig) -> nn.Optimizer:
    """OPTIMIZERS[config.optimizer] with the settings of OPTIMIZER_SETTINGS that it takes."""
    cls = OPTIMIZERS[config.optimizer]
    takes = inspect.signature(cls).parameters
    return cls(**{name: getattr(config, name) for name in OPTIMIZER_SETTINGS if name in takes})


def build_schedule(config: TrainingConfig):
    """SCHEDULES[config.schedule], its fields (lr, step_size, gamma, epochs, min_lr) from config.

    A field the configuration has no setting for (a per-batch schedule's warmup_steps, ...) keeps
    the schedule's default.
    """
    cls = SCHEDULES[config.schedule]
    return cls(**{f.name: getattr(config, f.name) for f in dataclasses.fields(cls)
                  if getattr(config, f.name, None) is not None})
