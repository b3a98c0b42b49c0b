"""`barenet train`: train a classifier, show progress, checkpoint every epoch, save the model.

Settings come from the defaults of `TrainingConfig`, then `--config FILE` (TOML), then flags, each
overriding the one before. Output: the model file (`--out`, default
`runs/<dataset>-<time>/model.safetensors`),
a checkpoint beside it (`<stem>.checkpoint.safetensors`, written atomically after every epoch, with
the optimiser's state), and the learning curves (`<stem>-curves.png`).

Ctrl-C stops training; the checkpoint of the last complete epoch is kept and the command that
resumes is printed. `--resume CHECKPOINT` continues from it and ends with exactly the weights of
an uninterrupted run with the same seed (epoch e's randomness depends only on the seed and e).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from barenet.cli import summary
from barenet.cli.process import shell_word
from barenet.cli.train_outputs import (
    check_outputs,
    checkpoint_path,
    claimed,
    curves_path,
    refuse_changes,
    refuse_finished,
    refuse_other_data,
    resumed_epochs,
    resumed_out,
)
from barenet.errors import BarenetError, ConfigError
from barenet.i18n import _, ngettext

if TYPE_CHECKING:  # for the annotations only: the command line imports these when it runs
    from barenet.experiment.config import TrainingConfig
    from barenet.experiment.splits import Splits
    from barenet.nn import History, Loss, Optimizer, Sequential
    from barenet.saving.modelfile import TrainedModel


def comma_ints(text: str) -> list[int]:
    """'512,512' -> [512, 512]; '' -> []."""
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("expected comma-separated integers, got {text!r}").format(text=text)) from None


def comma_names(text: str) -> list[str]:
    """'relu,tanh' -> ['relu', 'tanh']."""
    names = [part.strip() for part in text.split(",") if part.strip()]
    if not names:
        raise argparse.ArgumentTypeError(_("expected a name or a comma-separated list of names"))
    return names


def listed(names: Any) -> str:
    """'a, b or c' for the names (keys) of a registry."""
    *rest, last = list(names)
    return _("{names} or {last}").format(names=", ".join(rest), last=last) if rest else last


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add `barenet train` and its flags (the names they take are the engine's registries')."""
    from barenet.experiment.config import (
        ACTIVATIONS,
        LOSSES,
        NORMALIZATIONS,
        OPTIMIZERS,
        OUTPUTS,
        SAMPLINGS,
        SCHEDULES,
    )

    p = subparsers.add_parser(
        "train", help=summary("train"),
        description=_("Train a fully connected network. With no options: barenet's measured MNIST "
                      "recipe (784-512-512-10, ReLU, dropout 0.2, Adam lr 0.002 with cosine decay, "
                      "batch 256, 22 epochs, every epoch's images freshly deformed: affine and "
                      "elastic)."),
    )
    p.add_argument("--config", metavar="FILE", help=_("TOML file of settings (flags override it)"))
    p.add_argument("--resume", metavar="CHECKPOINT", help=_("continue an interrupted run"))
    data = p.add_argument_group(_("data"))
    data.add_argument("--dataset", help=_("mnist (default) or fashion-mnist"))
    data.add_argument("--data-dir", metavar="DIR", help=_("directory of the IDX files"))
    data.add_argument("--classes", type=comma_ints, metavar="LIST", help=_("class subset, e.g. 0,1"))
    data.add_argument("--val-size", type=int, metavar="N", help=_("validation samples held out (5000)"))
    data.add_argument("--normalization", choices=NORMALIZATIONS,
                      help=_("inputs in [0, 1] (none) or standardised with the training mean/std"))
    net = p.add_argument_group(_("network"))
    net.add_argument("--hidden", type=comma_ints, metavar="SIZES",
                     help=_("hidden layer sizes, e.g. 512,512 ('' for none)"))
    net.add_argument("--activation", type=comma_names, metavar="NAME[,NAME...]",
                     help=_("{names}: one, or one per hidden layer").format(names=listed(ACTIVATIONS)))
    net.add_argument("--output", help=listed(OUTPUTS))
    net.add_argument("--loss", help=_("{names} (each goes with some --output)").format(names=listed(LOSSES)))
    net.add_argument("--init", type=comma_names, metavar="NAME[,NAME...]",
                     help=_("weight initialiser(s): auto, he_normal, xavier_uniform, lecun_normal, "
                            "normal:0.01, ... (one, or one per Dense layer)"))
    net.add_argument("--bias-init", metavar="NAME", help=_("bias initialiser (zeros)"))
    net.add_argument("--dropout", type=float, metavar="P",
                     help=_("dropout probability after each hidden layer"))
    opt = p.add_argument_group(_("optimisation"))
    opt.add_argument("--optimizer", help=listed(OPTIMIZERS))
    opt.add_argument("--lr", type=float, help=_("learning rate"))
    opt.add_argument("--momentum", type=float, help=_("momentum for momentum/nesterov (0.9)"))
    opt.add_argument("--weight-decay", "--l2", type=float, dest="weight_decay", metavar="L2",
                     help=_("L2 penalty on the weights"))
    opt.add_argument("--schedule", help=listed(SCHEDULES))
    opt.add_argument("--step-size", type=int, metavar="EPOCHS", help=_("epochs per step (step schedule)"))
    opt.add_argument("--gamma", type=float, help=_("decay factor (step, exponential schedules)"))
    opt.add_argument("--min-lr", type=float, help=_("final learning rate (cosine schedule)"))
    opt.add_argument("--epochs", type=int, metavar="N", help=_("epochs: passes over the training set"))
    opt.add_argument("--steps", type=int, metavar="N",
                     help=_("train for N batches instead of --epochs (the last epoch cut short)"))
    opt.add_argument("--batch-size", type=int, metavar="N", help=_("1 = per-sample SGD"))
    opt.add_argument("--sampling", help=listed(SAMPLINGS))
    opt.add_argument("--early-stopping", type=int, metavar="PATIENCE",
                     help=_("stop after this many epochs without a better validation loss"))
    opt.add_argument("--seed", type=int, help=_("random seed: the same seed, the same model"))
    add_regularisation_flags(net, opt)
    add_augmentation_flags(p)
    add_output_flags(p)
    return p


def add_output_flags(p: argparse.ArgumentParser) -> None:
    """Where the model goes and what is shown."""
    out = p.add_argument_group(_("output"))
    out.add_argument("--out", metavar="PATH", help=_("model file to write (.safetensors)"))
    out.add_argument("--overwrite", action="store_true", help=_("replace an existing --out file"))
    out.add_argument("--no-plot", action="store_true", help=_("do not draw the learning curves"))
    out.add_argument("--quiet", action="store_true", help=_("no progress bars"))


def add_regularisation_flags(net: Any, opt: Any) -> None:
    """Batch normalisation and label smoothing (network); max-norm and per-batch schedules."""
    net.add_argument("--batchnorm", action=argparse.BooleanOptionalAction, default=None,
                     help=_("BatchNorm after each hidden Dense layer, before its activation"))
    net.add_argument("--label-smoothing", type=float, metavar="EPS",
                     help=_("softmax targets (1 − EPS)·y + EPS/K, e.g. 0.1"))
    opt.add_argument("--max-norm", type=float, metavar="C",
                     help=_("after each step, scale every unit's incoming weights to norm ≤ C, e.g. 3"))
    opt.add_argument("--warmup-steps", type=int, metavar="N",
                     help=_("batches of linear warm-up (warmup, cosine_steps schedules)"))
    opt.add_argument("--warmup-fraction", type=float, metavar="F",
                     help=_("the rising part of one_cycle, e.g. 0.3"))
    opt.add_argument("--every", type=int, metavar="N",
                     help=_("exponential_steps: lr·gamma^(step // N); give --gamma per N batches, "
                            "e.g. 0.999"))


def augment_kinds(text: str) -> list[str]:
    """'affine,elastic' -> ['affine', 'elastic']; 'none' -> []."""
    names = comma_names(text)
    return [] if names == ["none"] else names


def add_augmentation_flags(p: argparse.ArgumentParser) -> None:
    """--augment and the strengths of its deformations (barenet.data.augment)."""
    aug = p.add_argument_group(
        _("augmentation"), _("every epoch, each training image freshly deformed at random (drawn "
                             "from the seed and the epoch, so a resumed run sees the same images)"))
    aug.add_argument("--augment", type=augment_kinds, metavar="KINDS",
                     help=_("affine, elastic, affine,elastic (the default) or none"))
    aug.add_argument("--rotate", type=float, metavar="DEG", help=_("affine: rotation up to ± DEG (8)"))
    aug.add_argument("--scale", type=float, metavar="S", help=_("affine: zoom in 1 ± S (0.08)"))
    aug.add_argument("--shear", type=float, metavar="DEG", help=_("affine: shear up to ± DEG (8)"))
    aug.add_argument("--shift", type=float, metavar="PX", help=_("affine: shift up to ± PX pixels (1.5)"))
    aug.add_argument("--elastic-alpha", type=float, metavar="A",
                     help=_("elastic: displacement scale α in pixels (20)"))
    aug.add_argument("--elastic-sigma", type=float, metavar="S",
                     help=_("elastic: smoothing width σ in pixels (4)"))


FLAG_FIELDS = (
    "dataset", "data_dir", "classes", "val_size", "normalization", "hidden", "activation", "output",
    "loss", "init", "bias_init", "dropout", "optimizer", "lr", "momentum", "weight_decay",
    "schedule", "step_size", "gamma", "min_lr", "epochs", "steps", "batch_size", "sampling",
    "early_stopping", "seed", "batchnorm", "label_smoothing", "max_norm", "warmup_steps",
    "warmup_fraction", "every", "augment", "rotate", "scale", "shear", "shift", "elastic_alpha",
    "elastic_sigma", "out",
)


def resolve_config(args: argparse.Namespace):
    """TrainingConfig from defaults, then --config (checked on its own first), then flags."""
    from barenet.experiment.config import TrainingConfig, load_toml

    settings: dict[str, Any] = TrainingConfig().to_dict()
    if args.config:
        from_file = load_toml(args.config)
        TrainingConfig.from_dict({**settings, **from_file}, str(args.config))  # the file alone
        settings.update(from_file)
    if args.epochs is not None and args.steps is None:
        settings["steps"] = None  # --epochs overrides the file's steps (they are one choice)
    for name in FLAG_FIELDS:
        value = getattr(args, name)
        if value is not None:
            settings[name] = value
    if settings.get("classes") == []:
        settings["classes"] = None
    source = _("{file} and flags").format(file=args.config) if args.config else _("flags")
    return TrainingConfig.from_dict(settings, source)


def default_out(dataset: str) -> Path:
    return Path("runs") / f"{dataset}-{time.strftime('%Y%m%d-%H%M%S')}" / "model.safetensors"


@dataclass
class Resolved:
    """What a run is, before any data is read: its settings, where it writes, what it resumes."""

    config: TrainingConfig  # validated, `out` filled in
    out: Path  # the model file
    checkpoint: Path  # written after every epoch
    resumed: TrainedModel | None = None  # --resume's checkpoint


@dataclass
class Session:
    """A run set up to train: its data and the network, loss, optimiser and schedule built."""

    config: TrainingConfig  # as resolved, with `epochs` worked out from `steps` if given
    splits: Splits
    model: Sequential
    loss: Loss
    optimizer: Optimizer
    schedule: Any  # a barenet.nn schedule: epoch -> learning rate
    history: History  # a new one, or the resumed checkpoint's

    def record(self, history: History, metrics: dict | None = None) -> TrainedModel:
        """The TrainedModel to save: the network now, with `history` and `metrics`."""
        from barenet.saving.modelfile import TrainedModel

        return TrainedModel(
            model=self.model, config=self.config.to_dict(), normalization=self.splits.normalization,
            class_names=self.splits.class_names, history=history,
            dataset=self.splits.dataset_record(), metrics=metrics or {},
        )


def run(args: argparse.Namespace) -> int:
    resolved = resolve(args)
    started = time.perf_counter()
    resuming = Path(args.resume) if args.resume else None
    with claimed(resolved.out, args.overwrite, not args.no_plot, resuming) as stale:
        for path in stale:
            print(_("note: removed {path}, left by an interrupted save").format(path=path))
        session = set_up(resolved, progress=not args.quiet)
        print_plan(session, resolved, args.resume)
        done_before = len(session.history.records)
        history = train(session, resolved.checkpoint, quiet=args.quiet)
        # the checkpoint holding this network: this run's if it trained an epoch, else the resumed
        # one (a finished run resumed with another --out writes no checkpoint of its own)
        kept = resolved.checkpoint if len(history.records) > done_before or not args.resume \
            else Path(args.resume)
        save_results(session, history, resolved.out, kept, plot=not args.no_plot)
    print(_("done in {seconds:.1f} s; try: barenet evaluate {out}").format(
        seconds=time.perf_counter() - started, out=shell_word(resolved.out)))
    return 0


def resolve(args: argparse.Namespace) -> Resolved:
    """The run's settings and paths: from --resume's checkpoint, or defaults, --config and flags."""
    if args.resume:
        return resolve_resumed(args)
    config = resolve_config(args)
    out = Path(config.out) if config.out else default_out(config.dataset)
    check_outputs(out, args.overwrite, not args.no_plot)
    return Resolved(config.replace(out=str(out.absolute())), out, checkpoint_path(out))


def resolve_resumed(args: argparse.Namespace) -> Resolved:
    """The settings recorded in --resume's checkpoint; what may change, see `train_outputs`."""
    from barenet.experiment.config import TrainingConfig
    from barenet.saving import modelfile

    resumed = modelfile.load(args.resume)
    if resumed.kind != "checkpoint" or resumed.optimizer is None:
        raise ConfigError(_("{path}: a finished model, not a checkpoint; --resume takes the "
                            "<name>.checkpoint.safetensors file written during training").format(
                              path=args.resume))
    settings = dict(resumed.config)
    settings.setdefault("augment", [])  # a checkpoint from before augmentation trained without
    refuse_changes(args, FLAG_FIELDS, settings)
    settings["epochs"] = resumed_epochs(args, settings, len(resumed.history.records))
    if args.data_dir is not None:
        settings["data_dir"] = args.data_dir
    out = resumed_out(args, settings)
    refuse_finished(args, settings["epochs"], len(resumed.history.records), out)
    check_outputs(out, args.overwrite, not args.no_plot, resuming=Path(args.resume))
    settings["out"] = str(out.absolute())
    config = TrainingConfig.from_dict(settings, f"{args.resume}")
    return Resolved(config, out, checkpoint_path(out), resumed)


def set_up(resolved: Resolved, progress: bool) -> Session:
    """Read and split the data, build the network (and restore the checkpoint's state, if any)."""
    from barenet.experiment.config import build
    from barenet.experiment.memory import check_fits
    from barenet.experiment.splits import make_splits
    from barenet.nn.training import History, epochs_for_steps

    config, resumed = resolved.config, resolved.resumed
    splits = make_splits(config, progress=progress,
                         normalization=resumed.normalization if resumed else None)
    if resumed is not None:
        refuse_other_data(resumed.dataset, splits.dataset_record(), config.data_dir)
    for note in splits.notes:
        print(note if note.startswith(("note:", _("note: "))) else _("note: {note}").format(note=note))
    if config.steps is not None:  # the epochs the steps start, for the schedule and the record
        config = config.replace(epochs=epochs_for_steps(config.steps, len(splits.x_train),
                                                        config.batch_size))
    sizes = [splits.x_train.shape[1], *config.hidden, len(splits.class_names)]
    batch = min(config.batch_size, len(splits.x_train))  # a batch is at most the training set
    check_fits(sizes, config.optimizer, batch)  # before a single weight is allocated
    model, loss, optimizer, schedule = build(config, splits.x_train.shape[1], len(splits.class_names))
    history = History()
    if resumed is not None:
        for (param, _grad), (_name, saved) in zip(model.parameters(), resumed.model.named_parameters(),
                                          strict=True):
            param[...] = saved
        for (_name, buffer), (_saved_name, saved) in zip(model.named_buffers(), resumed.model.named_buffers(),
                                           strict=True):
            buffer[...] = saved  # BatchNorm's running statistics
        optimizer.load_state_dict({"t": resumed.optimizer["t"], "buffers": resumed.optimizer["buffers"]})
        history = resumed.history
    return Session(config, splits, model, loss, optimizer, schedule, history)


def print_plan(session: Session, resolved: Resolved, resume: str | None) -> None:
    """The network, the data and the training settings, before the first epoch."""
    config, splits, model = session.config, session.splits, session.model
    print(_("barenet: {network}  ({count:,} parameters)").format(
        network=model.describe(), count=model.parameter_count()))
    dataset = splits.dataset
    print(_("  data:  {dataset} from {directory} ({source}{verified}): {train:,} train, "
            "{validation:,} validation, {test:,} test{classes}").format(
        dataset=config.dataset, directory=dataset.directory, source=source_name(dataset.source),
        verified=_(", verified") if dataset.canonical else _(", not the canonical files"),
        train=len(splits.x_train), validation=len(splits.x_val), test=len(splits.x_test),
        classes=_(", classes {classes}").format(classes=config.classes) if config.classes else ""))
    print(_("  train: {settings}").format(settings=training_settings(config)))
    if config.augment:
        print(_("  augment: {augmentation}").format(
            augmentation=describe_augmentation(config.to_dict())))
    if resolved.resumed is not None:
        print(_("  resuming from {checkpoint} after epoch {epoch}").format(
            checkpoint=resume, epoch=len(session.history.records)))


def source_name(source: str) -> str:
    """Where a dataset was found, in words: "argument", "environment", "bundled", "cache", "csv"."""
    return {"argument": _("argument"), "environment": _("environment"), "bundled": _("bundled"),
            "cache": _("cache"), "csv": _("csv")}.get(source, source)


def training_settings(config: TrainingConfig) -> str:
    """'adam lr 0.002 (cosine), batch 256, 22 epochs, dropout 0.2, seed 0' and the options on."""
    epochs = ngettext("{n} epoch", "{n} epochs", config.epochs).format(n=config.epochs)
    if config.steps is not None:
        epochs += _(" ({steps:,} steps)").format(steps=config.steps)
    parts = [_("{optimizer} lr {lr:g} ({schedule})").format(
                 optimizer=config.optimizer, lr=config.lr, schedule=config.schedule),
             _("batch {size}").format(size=config.batch_size), epochs,
             _("dropout {p:g}").format(p=config.dropout)]
    if config.batchnorm:
        parts.append(_("batchnorm"))
    if config.label_smoothing:
        parts.append(_("label smoothing {eps:g}").format(eps=config.label_smoothing))
    if config.max_norm:
        parts.append(_("max-norm {c:g}").format(c=config.max_norm))
    parts.append(_("seed {seed}").format(seed=config.seed))
    return _(", ").join(parts)


def describe_augmentation(c: dict[str, Any]) -> str:
    """'affine (rotate ±8°, zoom 1 ± 0.08, shear ±8°, shift ±1.5 px), elastic (α 20, σ 4), new every
    epoch' for a configuration's dict (a TrainingConfig's to_dict(), or a model file's record)."""
    kinds = c.get("augment") or []
    parts = []
    if "affine" in kinds:
        parts.append(_("affine (rotate ±{rotate:g}°, zoom 1 ± {scale:g}, shear ±{shear:g}°, "
                       "shift ±{shift:g} px)").format(rotate=c["rotate"], scale=c["scale"],
                                                      shear=c["shear"], shift=c["shift"]))
    if "elastic" in kinds:
        parts.append(_("elastic (α {alpha:g}, σ {sigma:g})").format(alpha=c["elastic_alpha"],
                                                                     sigma=c["elastic_sigma"]))
    return _("{deformations}, new every epoch").format(deformations=_(", ").join(parts)) \
        if parts else _("none")


def epoch_images(session: Session):
    """The EpochAugmenter of the run's augmentation (None when off), on the [0, 1] pixels.

    With a standardisation, the training inputs are mapped back to pixels, x·std + mean, and
    each augmented block is standardised again.
    """
    augmentation = session.config.augmentation()
    if augmentation is None:
        return None
    import numpy as np

    from barenet.data.augment import EpochAugmenter

    x, transform = session.splits.x_train, None
    if session.splits.normalization is not None:
        from barenet.data.prepare import Standardizer

        standardizer = Standardizer.from_dict(session.splits.normalization)
        x = np.clip(x * np.asarray(standardizer.std, np.float32)
                    + np.asarray(standardizer.mean, np.float32), 0, 1)
        transform = standardizer.transform
    # each epoch's images made before it trains, one thread per core (EpochAugmenter's default)
    return EpochAugmenter(x, augmentation, session.config.seed, transform=transform,
                          epochs=session.config.epochs)


def train(session: Session, checkpoint: Path, quiet: bool) -> History:
    """Run the training loop with progress, epoch lines and checkpoints (an interruption is
    reported, then raised on: the exit status names the signal)."""
    from barenet.cli.train_progress import (
        Checkpointer,
        DivergenceGuard,
        EpochPrinter,
        ProgressBar,
        divergence_message,
    )
    from barenet.errors import ModelFileError, TrainingError
    from barenet.nn.training import evaluate, fit
    from barenet.saving import modelfile

    config, splits, history = session.config, session.splits, session.history
    validation = (splits.x_val, splits.y_val) if len(splits.x_val) else None
    before, _accuracy = evaluate(session.model, session.loss, splits.x_train[:2048], splits.y_train[:2048])

    def save_checkpoint(done: History) -> None:  # the epochs so far
        try:
            modelfile.save(checkpoint, session.record(done), optimizer=session.optimizer)
        except ModelFileError as exc:
            kept = len(done.records) - 1
            raise ModelFileError(f"{exc}" + (_("; the checkpoint after epoch {epoch} is intact: "
                                               "resume it with barenet train --resume {checkpoint}")
                                             .format(epoch=kept, checkpoint=shell_word(checkpoint))
                                             if kept else "")) from None

    callbacks = [ProgressBar(disable=quiet), EpochPrinter(print), DivergenceGuard(before),
                 Checkpointer(save_checkpoint, history)]
    augmenter = epoch_images(session)
    try:
        return fit(
            session.model, session.loss, session.optimizer, splits.x_train, splits.y_train,
            epochs=config.epochs, batch_size=config.batch_size, seed=config.seed,
            validation=validation, schedule=session.schedule, sampling=config.sampling,
            early_stopping=config.early_stopping, steps=config.steps, callbacks=callbacks,
            history=history, epoch_inputs=augmenter,
        )
    except KeyboardInterrupt as exc:  # Ctrl-C, SIGTERM or SIGHUP: the locks are released above
        report_interrupt(len(history.records), checkpoint)
        exc.reported = True  # barenet.cli.main: no second "interrupted" line
        raise
    except TrainingError as exc:
        where = _("; the last good checkpoint is {checkpoint}").format(checkpoint=checkpoint) \
            if checkpoint.exists() else ""
        raise TrainingError(f"{divergence_message(exc)}{where}") from None
    finally:
        if augmenter is not None:
            augmenter.close()


def report_interrupt(done: int, checkpoint: Path) -> None:
    """Ctrl-C: say which checkpoint is kept and how to resume (on stderr)."""
    print(file=sys.stderr)
    if done:
        print(_("barenet: interrupted; the checkpoint after epoch {epoch} is {checkpoint}\n"
                "  resume with: barenet train --resume {checkpoint}").format(
                    epoch=done, checkpoint=shell_word(checkpoint)), file=sys.stderr)
    else:
        print(_("barenet: interrupted before the first epoch ended; nothing was saved"),
              file=sys.stderr)


def save_results(session: Session, history: History, out: Path, checkpoint: Path, plot: bool) -> None:
    """Score the test split, save the model with its metrics, draw the curves, say where."""
    from barenet.errors import ModelFileError
    from barenet.nn.training import evaluate
    from barenet.saving import modelfile

    splits = session.splits
    test_loss, test_accuracy = evaluate(session.model, session.loss, splits.x_test, splits.y_test)
    metrics = {"test_accuracy": test_accuracy, "test_loss": test_loss,
               "train_seconds": sum(r["seconds"] for r in history.records)}
    if history.records and history.records[-1]["val_accuracy"] is not None:
        metrics["val_accuracy"] = history.records[-1]["val_accuracy"]
    try:
        modelfile.save(out, session.record(history, metrics))
    except ModelFileError as exc:
        raise ModelFileError(_("{error}; the checkpoint {checkpoint} holds the trained network: "
                               "resume it with barenet train --resume {checkpoint} (with --out "
                               "elsewhere if this disk stays full)").format(
                                 error=exc, checkpoint=shell_word(checkpoint))) from None
    print(_("test accuracy {accuracy:.2%} (loss {loss:.4f}) on {count:,} images").format(
              accuracy=test_accuracy, loss=test_loss, count=len(splits.x_test))
          + (_("; stopped early, best epoch {epoch}").format(epoch=history.best_epoch)
             if history.stopped_early else ""))
    warn_if_chance(test_accuracy, splits.y_test)
    print(_("model:      {path}").format(path=out))
    print(_("checkpoint: {path}").format(path=checkpoint))
    if plot:
        from barenet.experiment.plots import learning_curves

        try:
            curves = learning_curves(history, curves_path(out))
        except OSError as exc:
            raise BarenetError(_("the model is saved in {out}, but the learning curves could not "
                                 "be written to {curves} ({reason}); free some space, then draw "
                                 "them with: barenet plot {out}").format(
                                   out=shell_word(out), curves=curves_path(out),
                                   reason=exc.strerror or exc)) from None
        print(_("curves:     {path}").format(path=curves))


def warn_if_chance(accuracy: float, labels: Any) -> None:
    """Say so on stderr when the test accuracy is no better than always answering one class."""
    import numpy as np

    if len(labels) == 0:
        return
    chance = float(np.bincount(labels).max()) / len(labels)  # the most common class's share
    if accuracy <= chance + 0.02:
        print(_("barenet: warning: test accuracy {accuracy:.2%} is chance level (always answering "
                "the most common class scores {chance:.2%}): the network learned nothing; try "
                "another --lr (e.g. 0.001) or more --epochs").format(accuracy=accuracy, chance=chance),
              file=sys.stderr)
