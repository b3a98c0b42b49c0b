"""The shape of the package: what imports what, and what loading a part costs."""

from __future__ import annotations

import subprocess
import sys

import barenet
import barenet.nn


def test_importing_the_idx_reader_does_not_load_the_engine():
    code = "import sys, barenet.data.idx; print('barenet.nn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_command_line_parser_loads_neither_numpy_nor_the_engine():
    code = ("import sys; from barenet.cli import build_parser; build_parser(); "
            "print(sorted(m for m in ('numpy', 'barenet.nn') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_top_level_re_exports_exactly_the_engine_api():
    engine = {name for name, module in barenet.PUBLIC_NAMES.items() if module == "barenet.nn"}
    assert engine == set(barenet.nn.__all__)
    for name in barenet.nn.__all__:
        assert getattr(barenet, name) is getattr(barenet.nn, name)
    assert set(barenet.__all__) <= set(dir(barenet))
