"""Model files from a hostile source: every lie in the metadata is one ModelFileError, found
before anything is allocated, and no path makes loading block or read without limit."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from barenet.cli import main
from barenet.errors import ModelFileError
from barenet.saving import modelfile
from hostile_models import HOSTILE_EDITS, edited, model_bytes, tiny_record_and_tensors


def one_error_line(capsys) -> str:
    """The single stderr line of a refused command (no traceback, nothing on stdout)."""
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("barenet: error: ") and "Traceback" not in captured.err
    return lines[0]


def test_the_untouched_tiny_model_loads(tmp_path):
    """The base of every hostile edit is itself a sound model file (so each refusal is the edit's)."""
    path = tmp_path / "tiny.safetensors"
    path.write_bytes(edited(lambda record, tensors: None))
    trained = modelfile.load(path)
    _, tensors = tiny_record_and_tensors()
    for name, value in trained.model.named_parameters():
        np.testing.assert_array_equal(value, tensors[name])
    assert trained.model.describe() == "4-3(relu)-2" and trained.class_names == ["a", "b"]


@pytest.mark.parametrize("name", sorted(HOSTILE_EDITS))
def test_hostile_metadata_is_one_line(tmp_path, capsys, name):
    path = tmp_path / f"{name}.safetensors"
    path.write_bytes(edited(HOSTILE_EDITS[name]))
    before = path.read_bytes()
    with pytest.raises(ModelFileError) as raised:
        modelfile.load(path)
    message = str(raised.value)
    assert "\n" not in message and message.startswith(str(path)), message
    assert main(["info", str(path)]) == 1
    assert one_error_line(capsys) == f"barenet: error: {message}"
    assert path.read_bytes() == before


def test_sizes_in_the_metadata_are_never_allocated(tmp_path, monkeypatch):
    """A Dense layer of 10¹² units in the metadata alone: refused by comparing with the tensors,
    before any layer is built."""
    from barenet.nn.model import Sequential

    def refuse(*args, **kwargs):
        raise AssertionError("a network was built from unchecked metadata")

    monkeypatch.setattr(Sequential, "from_config", refuse)
    path = tmp_path / "huge.safetensors"
    path.write_bytes(edited(HOSTILE_EDITS["dense_10e12_units"]))
    with pytest.raises(ModelFileError, match="claims 3 inputs and 1000000000000 outputs"):
        modelfile.load(path)


def test_a_sound_file_is_built_from_its_tensors_without_drawing_weights(tmp_path, monkeypatch):
    from barenet.nn import layers

    def refuse(spec):
        raise AssertionError(f"initialiser {spec} called while loading")

    path = tmp_path / "tiny.safetensors"
    path.write_bytes(edited(lambda record, tensors: None))
    _, tensors = tiny_record_and_tensors()
    monkeypatch.setattr(layers, "get_initializer", refuse)
    loaded = dict(modelfile.load(path).model.named_parameters())
    assert sorted(loaded) == sorted(tensors)
    for name, value in tensors.items():
        np.testing.assert_array_equal(loaded[name], value)


def test_metadata_record_too_long_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(modelfile, "RECORD_LIMIT", 1000)
    record, tensors = tiny_record_and_tensors()
    record["config"] = {"note": "x" * 2000}
    path = tmp_path / "long.safetensors"
    path.write_bytes(model_bytes(record, tensors))
    with pytest.raises(ModelFileError, match="more than the 1,000 a model file holds"):
        modelfile.load(path)


def test_bytes_beyond_what_the_header_declares_are_refused(tmp_path):
    path = tmp_path / "padded.safetensors"
    data = edited(lambda record, tensors: None)
    path.write_bytes(data + b"\0" * 100)
    with pytest.raises(ModelFileError, match=f"holds {len(data) + 100:,} bytes, its header accounts "
                                             f"for {len(data):,}"):
        modelfile.load(path)
    path.write_bytes(data[:-10])
    with pytest.raises(ModelFileError, match="truncated model file"):
        modelfile.load(path)


def test_oversized_file_is_refused_by_its_size(tmp_path):
    path = tmp_path / "sparse.safetensors"
    with open(path, "wb") as handle:
        handle.truncate(modelfile.MODEL_LIMIT + 1)  # sparse: no disk used, nothing read
    with pytest.raises(ModelFileError, match="more than the limit of 4,294,967,296 for a model file"):
        modelfile.load(path)


@pytest.mark.parametrize("kind", ["fifo", "dev_zero", "dev_null", "directory"])
def test_a_path_that_is_not_a_file_is_refused_without_blocking(tmp_path, kind):
    """A FIFO without a writer (open would wait for ever), /dev/zero (reading never ends)."""
    paths = {"fifo": tmp_path / "pipe", "dev_zero": "/dev/zero", "dev_null": "/dev/null",
             "directory": tmp_path}
    if kind == "fifo":
        os.mkfifo(paths["fifo"])
    words = {"fifo": "is a FIFO (named pipe), not a regular file",
             "dev_zero": "is a character device, not a regular file",
             "dev_null": "is a character device, not a regular file",
             "directory": "is a directory, not a regular file"}
    result = subprocess.run([sys.executable, "-m", "barenet", "info", str(paths[kind])],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"barenet: error: {paths[kind]}: {words[kind]}; train a model with `barenet train` or "
        "pass the path of one"]
