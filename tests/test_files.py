"""atomic_write: the old file or the whole new one, never half, and nothing left behind."""

from __future__ import annotations

import os

import pytest

from barenet import files
from barenet.files import atomic_write


def test_writes_the_bytes_and_creates_the_parent_directories(tmp_path):
    target = tmp_path / "a" / "b" / "model.safetensors"
    assert atomic_write(target, b"weights") == target
    assert target.read_bytes() == b"weights"
    assert [p.name for p in target.parent.iterdir()] == ["model.safetensors"]


def test_the_file_gets_the_mode_open_would_give(tmp_path):
    old = os.umask(0o027)
    try:
        atomic_write(tmp_path / "f.png", b"x")
        with open(tmp_path / "g.png", "wb"):
            pass
    finally:
        os.umask(old)
    assert (tmp_path / "f.png").stat().st_mode & 0o777 == (tmp_path / "g.png").stat().st_mode & 0o777
    assert (tmp_path / "f.png").stat().st_mode & 0o777 == 0o640


def test_a_relative_path_in_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    atomic_write("out.bin", b"abc")
    assert (tmp_path / "out.bin").read_bytes() == b"abc"


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_failed_write_keeps_the_old_file_and_removes_the_temporary_one(tmp_path, monkeypatch,
                                                                         failure):
    target = tmp_path / "model.safetensors"
    target.write_bytes(b"the user's model")

    def fail(fd):
        raise failure

    monkeypatch.setattr(files.os, "fsync", fail)
    with pytest.raises(type(failure)):
        atomic_write(target, b"half of a new one")
    assert target.read_bytes() == b"the user's model"
    assert [p.name for p in tmp_path.iterdir()] == ["model.safetensors"]
