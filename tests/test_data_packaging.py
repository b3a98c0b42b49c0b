"""MNIST ships inside the package: the four canonical .gz files are package data of barenet.data."""

from __future__ import annotations

import fnmatch
import importlib.resources
import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from barenet.data.datasets import IDX_FILES
from data_helpers import BUNDLED_MNIST, REPO

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib


def test_package_data_patterns_cover_the_bundled_files():
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["barenet.data"]
    for name in IDX_FILES.values():
        assert any(fnmatch.fnmatch(f"mnist/{name}", p) for p in patterns), name
        assert (BUNDLED_MNIST / name).is_file()


def test_bundled_files_reachable_as_package_resources():
    root = importlib.resources.files("barenet.data") / "mnist"
    assert sorted(p.name for p in root.iterdir() if p.name.endswith(".gz")) == sorted(
        IDX_FILES.values()
    )


def _can_build_offline() -> bool:
    if importlib.util.find_spec("wheel") is None or importlib.util.find_spec("setuptools") is None:
        return False
    import setuptools

    return int(setuptools.__version__.split(".")[0]) >= 77


@pytest.mark.slow
@pytest.mark.skipif(not _can_build_offline() and os.environ.get("CI") != "true",
                    reason="needs setuptools>=77 and wheel (the [test] extra installs them)")
def test_built_wheel_carries_mnist(tmp_path):
    tree = tmp_path / "tree"  # build from a copy: no build/ or egg-info in the work tree
    shutil.copytree(REPO / "src", tree / "src", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, tree / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "-w", str(tmp_path / "dist"), str(tree)],
        check=True, capture_output=True, timeout=300,
    )
    (wheel,) = (tmp_path / "dist").glob("barenet-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        sizes = {info.filename: info.file_size for info in archive.infolist()}
    for name in IDX_FILES.values():
        assert sizes[f"barenet/data/mnist/{name}"] == (BUNDLED_MNIST / name).stat().st_size
