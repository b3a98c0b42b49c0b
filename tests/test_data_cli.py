"""`barenet data`: the report, one error line and exit status 1, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from barenet.cli import main
from barenet.data.datasets import IDX_FILES
from data_helpers import (
    BUNDLED_MNIST,
    REPO,
    Mirror,
    closed_port_url,
    gz_files,
    snapshot,
    tiny_arrays,
    write_tiny_dataset,
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    monkeypatch.delenv("BARENET_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def test_bundled_mnist_report(capsys):
    assert main(["data"]) == 0
    out, err = capsys.readouterr()
    assert "mnist in " in out and "(the copy inside the package)" in out
    assert out.count("verified") == 4
    assert "60000×28×28" in out and "10000" in out
    assert "5923" in out and "6742" in out  # class balance of digits 0 and 1
    assert "canonical: yes" in out
    assert err == ""


def test_non_canonical_directory_gets_a_note(tmp_path, capsys):
    write_tiny_dataset(tmp_path / "mine")
    assert main(["data", "--data-dir", str(tmp_path / "mine")]) == 0
    out, err = capsys.readouterr()
    assert "not canonical" in out and "canonical: no" in out
    assert err.startswith("note: ") and err.count("\n") == 1


def test_broken_file_is_one_line_and_status_1(tmp_path, capsys):
    directory = tmp_path / "broken"
    write_tiny_dataset(directory)
    bad = directory / "train-labels-idx1-ubyte.gz"
    bad.write_bytes(bad.read_bytes()[:10])
    before = snapshot(directory)
    assert main(["data", "--data-dir", str(directory)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"barenet: error: {bad}: ") and err.count("\n") == 1
    assert "truncated" in err
    assert snapshot(directory) == before


def test_missing_files_no_download(tmp_path, capsys):
    assert main(["data", "--data-dir", str(tmp_path / "empty"), "--no-download"]) == 1
    err = capsys.readouterr().err
    assert "missing train-images-idx3-ubyte.gz" in err and err.count("\n") == 1


def test_no_network_names_the_four_files(tmp_path, capsys):
    target = tmp_path / "fm"
    code = main(["data", "--dataset", "fashion-mnist", "--data-dir", str(target),
                 "--mirror", closed_port_url(), "--no-progress"])
    assert code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no mirror reachable" in err
    assert all(name in err for name in IDX_FILES.values()) and str(target) in err


def test_download_through_the_command(tmp_path, capsys):
    files = {name: (BUNDLED_MNIST / name).read_bytes() for name in IDX_FILES.values()}
    with Mirror().serve("ok", files) as mirror:
        code = main(["data", "--data-dir", str(tmp_path / "dl"), "--mirror", mirror.url,
                     "--no-progress"])
    assert code == 0
    out = capsys.readouterr().out
    assert out.count("verified, downloaded") == 4 and "canonical: yes" in out


def test_download_of_wrong_files_is_refused(tmp_path, capsys):
    # a tiny "MNIST" does not match MNIST's canonical checksums: fatal for a download
    files = gz_files(tiny_arrays())
    with Mirror().serve("ok", files) as mirror:
        code = main(["data", "--data-dir", str(tmp_path / "dl"), "--mirror", mirror.url,
                     "--no-progress"])
    assert code == 1
    assert "checksum mismatch" in capsys.readouterr().err
    assert len(mirror.requests) == 1


def test_unknown_dataset_is_a_usage_error(capsys):
    assert main(["data", "--dataset", "cifar"]) == 2
    assert "cifar" in capsys.readouterr().err


def test_python_m_barenet_data_has_no_traceback(tmp_path):
    directory = tmp_path / "broken"
    directory.mkdir()
    for name in IDX_FILES.values():
        (directory / name).write_bytes(b"")
    env = {k: v for k, v in os.environ.items() if k != "BARENET_DATA_DIR"}
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    result = subprocess.run(
        [sys.executable, "-m", "barenet", "data", "--data-dir", str(directory)],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr == (
        f"barenet: error: {directory / 'train-images-idx3-ubyte.gz'}: file is empty (0 bytes); "
        "replace it with a good copy (or delete it so that `barenet data` downloads it)\n"
    )
