"""What `barenet train` writes, checked before any data is read, and what `--resume` may change.

A run writes three files: the model (`--out`), its checkpoint beside it
(`<stem>.checkpoint.safetensors`, after every epoch) and the learning curves
(`<stem>-curves.png`). Before the first epoch:

- each must be absent or a regular file (`barenet.files.check_output_path`), and without
  `--overwrite` absent: a model, a checkpoint of an interrupted run or a figure already there is
  the user's, and is never replaced silently (the checkpoint one says how to resume it);
- the directory must be writable;
- one process at a time writes a given file (`barenet.files.OutputLock`, on the model, the
  checkpoint and the curves alike, so that one run's model is never another's checkpoint); under
  the locks the checks are made again (another run may have finished meanwhile), and the
  temporary files interrupted saves left in the directory are removed: only those whose writer
  is gone (`barenet.files.abandoned`: a notebook or a run saving right now keeps its own).

`--resume CHECKPOINT` continues the run recorded in the checkpoint. Its model file is the
recorded `out` (stored absolute; a relative one from an older checkpoint is resolved against
the checkpoint's directory, where it was written). Only what can change soundly may be given
with it: `--epochs` (more than the epochs done: extends the run), `--out` (a new model file and
checkpoint; the resumed checkpoint is kept), `--data-dir` (the same data elsewhere),
`--overwrite`, `--quiet`, `--no-plot`. Any other setting is refused with a message, never ignored.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from barenet.cli.process import shell_word
from barenet.errors import ConfigError
from barenet.i18n import _, ngettext

RESUMABLE = ("epochs", "out", "data_dir")  # settings `--resume` may change


def checkpoint_path(out: Path) -> Path:
    """The checkpoint written beside the model file `out`: <stem>.checkpoint.safetensors."""
    return out.with_name(f"{out.stem}.checkpoint{out.suffix or '.safetensors'}")


def curves_path(out: Path) -> Path:
    """The learning curves drawn beside the model file `out`: <stem>-curves.png."""
    return out.with_name(f"{out.stem}-curves.png")


def check_outputs(out: Path, overwrite: bool, plot: bool, resuming: Path | None = None) -> None:
    """Refuse (ConfigError) outputs that are not files, not writable, or there without --overwrite.

    resuming: the checkpoint being resumed, which the run rewrites by design.
    """
    from barenet.files import check_output_path

    if out.suffix != ".safetensors":
        raise ConfigError(_("--out {out}: model files end in .safetensors").format(out=out))
    check_output_path(out, "--out", overwrite=overwrite)
    checkpoint = checkpoint_path(out)
    if resuming is None or checkpoint.absolute() != resuming.absolute():
        if checkpoint.exists() and not overwrite and checkpoint.is_file():
            raise ConfigError(_("{checkpoint} already exists (the checkpoint of an earlier run); "
                                "continue it with --resume {checkpoint}, or choose another --out, "
                                "or pass --overwrite").format(checkpoint=shell_word(checkpoint)))
        check_output_path(checkpoint, "--out", overwrite=overwrite)
    if plot:
        check_output_path(curves_path(out), "--out", overwrite=overwrite)


@contextmanager
def claimed(out: Path, overwrite: bool, plot: bool, resuming: Path | None = None) -> Iterator[list[Path]]:
    """Hold the locks on writing `out`, its checkpoint and its curves for the block; yields the
    stale temporary files removed.

    Every file the run writes is locked, not only `out`: a run with `--out a.checkpoint.safetensors`
    beside one with `--out a.safetensors` (whose checkpoint that is) is refused, not overwritten.
    """
    from contextlib import ExitStack

    from barenet.files import OutputLock, abandoned, temp_files_of

    targets = [out, checkpoint_path(out), *([curves_path(out)] if plot else [])]
    with ExitStack() as locks:
        for target in targets:
            locks.enter_context(OutputLock(target))
        check_outputs(out, overwrite, plot, resuming)  # again: a run may have ended meanwhile
        stale = [p for target in targets for p in temp_files_of(target) if abandoned(p) is not False]
        stale += others_stale_files(out.parent if str(out.parent) else Path("."), out)
        for path in stale:
            path.unlink(missing_ok=True)
        yield stale


def owner_of(temp: Path) -> Path | None:
    """The model file whose run wrote the temporary file `.<target>.<random>.tmp`, or None."""
    target = temp.name[1:].rsplit(".", 2)[0]
    for ending in (".checkpoint.safetensors", "-curves.png", ".safetensors"):
        if target.endswith(ending):
            return temp.with_name(target[: -len(ending)] + ".safetensors")
    return None


def others_stale_files(directory: Path, out: Path) -> list[Path]:
    """Temporary files other saves left in `directory` when they were killed.

    A file whose name carries its writer's process id is stale only if that process is gone (a
    notebook saving right now keeps its own); one of an older barenet, without an id, only if
    nobody holds its model file's lock (`out`'s are handled apart).
    """
    from barenet.files import OutputLock, abandoned

    stale = []
    for temp in sorted(directory.glob(".*.tmp")) if directory.is_dir() else []:
        owner = owner_of(temp)
        if owner is None or owner.name == out.name or not temp.is_file():
            continue
        state = abandoned(temp)
        if state is None:
            try:
                with OutputLock(owner):
                    state = True
            except ConfigError:  # that run is alive
                state = False
        if state:
            stale.append(temp)
    return stale


def refuse_changes(args: argparse.Namespace, fields: tuple[str, ...], recorded: dict[str, Any]) -> None:
    """ConfigError for the first flag given with --resume that cannot change a recorded run."""
    if getattr(args, "config", None):
        raise ConfigError(_("--config {file} cannot be combined with --resume: the run's settings "
                            "are those recorded in the checkpoint").format(file=args.config))
    for name in fields:
        value = getattr(args, name, None)
        if value is None or name in RESUMABLE:
            continue
        flag = "--" + name.replace("_", "-")
        raise ConfigError(_("{flag} cannot change when resuming: the run in {checkpoint} was set up "
                            "with {name} = {value!r}; resume without {flag}, or start a new run "
                            "without --resume").format(flag=flag, checkpoint=args.resume, name=name,
                                                       value=recorded.get(name)))


def refuse_other_data(recorded: dict[str, Any], found: dict[str, Any], data_dir: str | None) -> None:
    """ConfigError when --resume's data (its checksums) is not the data the run was trained on:
    `--data-dir` may name the same files elsewhere, never other data."""
    sha = (recorded or {}).get("sha256")
    if sha and sha != found.get("sha256"):
        raise ConfigError(_("the data in {directory} is not the data the resumed run was trained on "
                            "(other checksums); resume with the same files (--data-dir), or start "
                            "a new run without --resume").format(directory=data_dir or found.get("name")))


def resumed_epochs(args: argparse.Namespace, recorded: dict[str, Any], done: int) -> int:
    """The epochs the resumed run ends at: --epochs (more than `done`), or the recorded ones."""
    if args.epochs is not None:
        if recorded.get("steps") is not None:
            raise ConfigError(_("--epochs cannot extend the run in {checkpoint}: it was set up with "
                                "--steps {steps}; resume without --epochs").format(
                                  checkpoint=args.resume, steps=recorded["steps"]))
        if args.epochs <= done:
            raise ConfigError(ngettext(
                "--epochs {epochs}: the checkpoint {checkpoint} has already finished {done} epoch; "
                "give more than {done} to train further",
                "--epochs {epochs}: the checkpoint {checkpoint} has already finished {done} epochs; "
                "give more than {done} to train further", done).format(
                    epochs=args.epochs, checkpoint=args.resume, done=done))
        return args.epochs
    return recorded["epochs"]  # a finished run resumed only writes its model (if that failed)


def refuse_finished(args: argparse.Namespace, epochs: int, done: int, out: Path) -> None:
    """A finished run whose model is there: nothing to do unless --epochs extends it."""
    if done >= epochs and out.exists() and not args.overwrite:
        raise ConfigError(_("the run in {checkpoint} is finished ({done} of {epochs} epochs) and its "
                            "model {out} exists; give --epochs N with N > {done} to train "
                            "further").format(checkpoint=args.resume, done=done, epochs=epochs, out=out))


def resumed_out(args: argparse.Namespace, recorded: dict[str, Any]) -> Path:
    """The model file of a resumed run: --out, or the recorded one (relative: beside the checkpoint)."""
    if args.out is not None:
        return Path(args.out)
    out = Path(recorded.get("out") or "model.safetensors")
    return out if out.is_absolute() else Path(args.resume).parent / out.name
