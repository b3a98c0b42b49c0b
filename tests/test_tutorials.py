"""The tutorials (docs/tutorials/*.ipynb): each English notebook runs top to bottom and draws a figure;
the Chinese copies (docs/tutorials/zh-CN/) have the same file names and the very same code.

The path has at least eight chapters, numbered 01 to 08 in their file names.

Only the English notebooks are executed (slow: a fresh kernel each, cells run in order, as a
learner runs them); the Chinese ones differ in their prose alone, which the code-cell comparison
proves, so running them again would test nothing new.

The kernel is this interpreter (`sys.executable`, through a kernel spec written for the test, not
whatever "python3" the machine's Jupyter finds first), with this checkout's src/ on `PYTHONPATH`
(child_env.py), started in the notebook's own directory as Jupyter would start it for a learner.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import nbclient
import nbformat
import pytest

from child_env import REPO, child_env

TUTORIALS = REPO / "docs" / "tutorials"
CHINESE = TUTORIALS / "zh-CN"
CELL_TIMEOUT_S = 300
KERNEL = "barenet-test-python"
CHAPTERS = 8  # the path of issue 13: arrays … your own digit

ENGLISH = sorted(TUTORIALS.glob("*.ipynb"))
TRANSLATED = sorted(CHINESE.glob("*.ipynb"))


def read(path: Path):
    """The notebook at `path`, validated against the nbformat 4 schema."""
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    return notebook


def code_sources(notebook) -> list[str]:
    """The source of every code cell, in order."""
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


@pytest.fixture(scope="module")
def kernel_manager_class(tmp_path_factory):
    """A KernelManager class whose only kernel spec, KERNEL, is this interpreter's ipykernel."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from traitlets import default

    specs = tmp_path_factory.mktemp("kernels")
    (specs / KERNEL).mkdir()
    spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "barenet tests", "language": "python"}
    (specs / KERNEL / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")

    class ThisInterpreter(KernelManager):
        @default("kernel_spec_manager")
        def _only_our_spec(self):
            return KernelSpecManager(kernel_dirs=[str(specs)])

    return ThisInterpreter


def execute(notebook, directory: Path, kernel_manager_class):
    """Run every cell of `notebook` in order, in `directory`; the notebook gains its outputs.

    Raises nbclient's CellExecutionError (the cell, the traceback) when a cell fails, and
    CellTimeoutError when one runs longer than CELL_TIMEOUT_S. The kernel gets the inline
    matplotlib backend (the one a learner's Jupyter uses), whatever MPLBACKEND says here.
    """
    client = nbclient.NotebookClient(
        notebook, kernel_name=KERNEL, kernel_manager_class=kernel_manager_class,
        timeout=CELL_TIMEOUT_S, startup_timeout=120,
        resources={"metadata": {"path": str(directory)}},
    )
    env = child_env(JUPYTER_PLATFORM_DIRS="1")
    env.pop("MPLBACKEND")
    client.execute(env=env)
    return notebook


def png_outputs(notebook) -> int:
    """How many outputs of code cells carry an image/png."""
    return sum("image/png" in output.get("data", {})
               for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs)


def test_kernel_is_this_interpreter_with_this_checkout(tmp_path, kernel_manager_class):
    probe = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import os, sys, barenet\nprint(sys.executable)\nprint(barenet.__file__)\nprint(os.getcwd())"
    )])
    execute(probe, tmp_path, kernel_manager_class)
    lines = probe.cells[0].outputs[0]["text"].splitlines()
    assert Path(lines[0]).resolve() == Path(sys.executable).resolve()
    assert Path(lines[1]).resolve() == (REPO / "src" / "barenet" / "__init__.py").resolve()
    assert Path(lines[2]).resolve() == tmp_path.resolve()


@pytest.mark.slow
@pytest.mark.parametrize("path", ENGLISH, ids=[p.name for p in ENGLISH])
def test_notebook_runs_and_draws(path, kernel_manager_class):
    before = sorted(os.listdir(path.parent))
    start = time.perf_counter()
    notebook = execute(read(path), path.parent, kernel_manager_class)
    seconds = time.perf_counter() - start
    assert png_outputs(notebook) >= 1, f"{path.name} ran ({seconds:.0f} s) but showed no figure"
    after = sorted(os.listdir(path.parent))
    assert after == before, f"{path.name} left files in docs/tutorials/: write into a temporary directory"


def test_the_path_has_all_its_chapters():
    numbers = sorted(int(p.name.split("-")[0]) for p in ENGLISH if p.name[:2].isdigit())
    assert len(ENGLISH) >= CHAPTERS, f"{len(ENGLISH)} notebooks in docs/tutorials/, the path has {CHAPTERS}"
    assert numbers[:CHAPTERS] == list(range(1, CHAPTERS + 1)), f"chapters numbered {numbers}"


def test_chinese_copies_have_the_same_names():
    english, chinese = {p.name for p in ENGLISH}, {p.name for p in TRANSLATED}
    assert chinese == english, (
        f"no Chinese copy in docs/tutorials/zh-CN/: {sorted(english - chinese)}; "
        f"no English original in docs/tutorials/: {sorted(chinese - english)}"
    )


@pytest.mark.parametrize("path", TRANSLATED, ids=[p.name for p in TRANSLATED])
def test_chinese_copy_has_identical_code(path):
    english = TUTORIALS / path.name
    assert english.is_file(), f"zh-CN/{path.name} has no English original"
    ours, theirs = code_sources(read(path)), code_sources(read(english))
    assert len(ours) == len(theirs), (
        f"zh-CN/{path.name} has {len(ours)} code cells, the English one {len(theirs)}"
    )
    for index, (chinese_code, english_code) in enumerate(zip(ours, theirs, strict=True)):
        assert chinese_code == english_code, f"zh-CN/{path.name}: code cell {index} differs"
