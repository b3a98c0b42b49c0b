"""The shape of the package: what imports what, how long a function may be, what loading costs.

The import graph is read from the source (ast), function-level imports included: an edge goes
from a module to every barenet module it names. `import barenet.x.y` and `from barenet.x.y
import name` point at barenet.x.y; `from barenet.x import y` at barenet.x.y when that is a
module, else at the package barenet.x (its __init__), which is a target only when named.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from functools import cache
from pathlib import Path

import barenet
import barenet.nn

SRC = Path(__file__).resolve().parents[1] / "src"
MAX_BODY_LINES = 60


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    """barenet.x.y -> its file, for every module under src/."""
    return {module_name(path): path for path in sorted(SRC.rglob("*.py"))}


def imported(name: str) -> set[str]:
    """The barenet modules `name` imports anywhere in its file (see the module docstring)."""
    path = modules()[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "barenet")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # from . import x, from ..y import z
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            if base.split(".")[0] == "barenet":
                found.update(f"{base}.{a.name}" if f"{base}.{a.name}" in modules() else base
                             for a in node.names)
    return found


@cache
def graph() -> dict[str, frozenset[str]]:
    return {name: frozenset(imported(name)) for name in modules()}


def reachable(start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for target in graph().get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def find_cycle(edges: dict[str, frozenset[str]]) -> list[str] | None:
    """One cycle [a, b, ..., a] of the directed graph `edges`, or None (depth-first search)."""
    state: dict[str, str] = {}  # "open" while on the search path, then "done"

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = "open"
        for target in sorted(edges.get(node, ())):
            if state.get(target) == "open":
                return [*path[path.index(target):], target]
            if target not in state and (cycle := visit(target, [*path, target])):
                return cycle
        state[node] = "done"
        return None

    for name in sorted(edges):
        if name not in state and (cycle := visit(name, [name])):
            return cycle
    return None


def body_lines(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines from the first statement after the docstring to the end of the function."""
    body = function.body
    if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    return body[-1].end_lineno - body[0].lineno + 1 if body else 0


# ---- the graph is what it should be ----------------------------------------------------------


def test_the_graph_sees_function_level_imports():
    assert "barenet.saving.modelfile" in graph()["barenet.cli.predict"]  # imported inside run()
    assert "barenet.nn" in graph()["barenet.experiment.config"]
    assert "barenet.data.datasets" in graph()["barenet.data"]


def test_no_import_cycle_among_barenets_modules():
    cycle = find_cycle(graph())
    assert cycle is None, " -> ".join(cycle or [])


def test_find_cycle_finds_one():
    edges = {"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"b"}), "d": frozenset()}
    assert find_cycle(edges) == ["b", "c", "b"]
    assert find_cycle({"a": frozenset({"b"}), "b": frozenset()}) is None


def test_the_engine_imports_nothing_of_barenet_but_itself_and_errors():
    for name, targets in graph().items():
        if name == "barenet.nn" or name.startswith("barenet.nn."):
            outside = {t for t in targets if t != "barenet.errors" and not t.startswith("barenet.nn")}
            assert not outside, f"{name} imports {sorted(outside)}"


def test_data_does_not_reach_the_engine():
    for name in graph():
        if name == "barenet.data" or name.startswith("barenet.data."):
            engine = {t for t in reachable(name) if t.startswith("barenet.nn")}
            assert not engine, f"{name} reaches {sorted(engine)}"


def test_predict_imports_nothing_from_the_web_page():
    web = {t for t in reachable("barenet.cli.predict") if t.startswith("barenet.web")}
    assert not web, f"barenet.cli.predict reaches {sorted(web)}"


def test_nothing_outside_the_command_line_imports_it():
    for name, targets in graph().items():
        if name.startswith("barenet.cli") or name == "barenet.__main__":
            continue
        cli = {t for t in targets if t.startswith("barenet.cli")}
        assert not cli, f"{name} imports {sorted(cli)}"


# docs/design.md's picture, top row first: an import points to a lower row, or to the right in
# its row, or inside the same part. Every module of src/ has its place (checked below).
PICTURE = [
    ["barenet.__main__", "barenet.cli", "barenet"],
    ["barenet.web.server", "barenet.web.api", "barenet.web", "barenet.sklearn"],
    ["barenet.digits", "barenet.saving", "barenet.experiment"],
    ["barenet.nn", "barenet.data"],
    ["barenet.errors", "barenet.version", "barenet.files", "barenet.i18n"],
]


def place(name: str) -> tuple[int, int, str] | None:
    """(row, column, part) of a module in PICTURE: the part that is its longest prefix."""
    best = None
    for row, parts in enumerate(PICTURE):
        for column, part in enumerate(parts):
            inside = name == part or (part != "barenet" and name.startswith(part + "."))
            if inside and (best is None or len(part) > len(best[2])):
                best = (row, column, part)
    return best


def test_the_picture_places_modules_in_their_parts():
    assert place("barenet.data.idx")[2] == "barenet.data"
    assert place("barenet.web.api")[2] == "barenet.web.api" and place("barenet.web")[2] == "barenet.web"
    assert place("barenet.not_drawn_yet") is None


def test_every_module_has_its_place_in_the_picture():
    missing = sorted(name for name in modules() if place(name) is None)
    assert not missing, f"modules in no part of docs/design.md's picture (PICTURE above): {missing}"


def test_every_import_points_down_the_design_picture():
    wrong = []
    for name, targets in graph().items():
        for target in targets:
            a, b = place(name), place(target)
            if a is None or b is None or a[2] == b[2] or target == "barenet.errors":
                continue
            if not (b[0] > a[0] or (b[0] == a[0] and b[1] > a[1])):
                wrong.append(f"{name} -> {target}")
    assert not wrong, f"imports against the picture of docs/design.md: {wrong}"


def test_no_function_body_is_longer_than_60_lines():
    long = {}
    for path in modules().values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                key = f"{path.relative_to(SRC).as_posix()}:{node.name}"
                if body_lines(node) > MAX_BODY_LINES:
                    long[key] = body_lines(node)
    assert not long, f"function bodies over {MAX_BODY_LINES} lines: {long}"


def test_body_lines_counts_from_the_first_statement_after_the_docstring():
    source = 'def f():\n    """Doc."""\n    a = 1\n\n    return a\n'
    assert body_lines(ast.parse(source).body[0]) == 3


# ---- what loading a part costs ---------------------------------------------------------------


def test_importing_the_idx_reader_does_not_load_the_engine():
    code = "import sys, barenet.data.idx; print('barenet.nn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_command_line_parser_loads_neither_numpy_nor_the_engine():
    code = ("import sys; from barenet.cli import build_parser; build_parser([]); "
            "print(sorted(m for m in ('numpy', 'barenet.nn') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_top_level_re_exports_exactly_the_engine_api():
    engine = {name for name, module in barenet.PUBLIC_NAMES.items() if module == "barenet.nn"}
    assert engine == set(barenet.nn.__all__), (
        "barenet/__init__.py's _ENGINE_NAMES must list barenet.nn.__all__")
    for name in barenet.nn.__all__:
        assert getattr(barenet, name) is getattr(barenet.nn, name)
    assert set(barenet.__all__) <= set(dir(barenet))
