"""The tutorials (docs/tutorials/*.ipynb): each English notebook runs top to bottom and draws a figure;
the Chinese copies (docs/tutorials/zh-CN/) have the same file names and the same statements.

The path has at least eight chapters, numbered 01 to 08 in their file names.

"The same statements": a Chinese code cell may translate its comments and string literals (plot
titles, labels, printed text), nothing else. Each code cell is compared through its syntax tree
with every string set aside (`statements`), so the two copies cannot drift apart in what they do.

Only the English notebooks are executed (slow: a fresh kernel each, cells run in order, as a
learner runs them); the Chinese ones run the same statements. Every notebook's stored outputs must
come from one run from top to bottom without an error, and every table it shows (in its text or
its outputs) has as many cells in each row as in its header.

The kernel is this interpreter (`sys.executable`, through a kernel spec written for the test, not
whatever "python3" the machine's Jupyter finds first), with this checkout's src/ on `PYTHONPATH`
(child_env.py), started in the notebook's own directory as Jupyter would start it for a learner.
"""

from __future__ import annotations

import ast
import io
import json
import os
import re
import sys
import time
import tokenize
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


def without_magics(source: str) -> str:
    """`source` as plain Python: an IPython line (`!cmd`, `%magic`) becomes a call on its text."""
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        if stripped.startswith(("!", "%")):
            indent = line[: len(line) - len(stripped)]
            line = f"{indent}get_ipython().run_line_magic({stripped!r})"
        lines.append(line)
    return "\n".join(lines)


class SetStringsAside(ast.NodeTransformer):
    """Every str constant becomes "…"; an f-string keeps only the expressions it shows, sorted.

    Sorted, because a translation may show the same values in another order; their format specs
    and conversions are presentation (Chinese text needs other column widths) and are set aside too.
    """

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        return ast.Constant("…") if isinstance(node.value, str) else node

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        shown = sorted(ast.dump(self.visit(value.value))
                       for value in node.values if isinstance(value, ast.FormattedValue))
        return ast.Tuple(elts=[ast.Constant(text) for text in shown], ctx=ast.Load())


def statements(source: str) -> str:
    """What a code cell does: its syntax tree with comments and string literals set aside.

    Raises SyntaxError when the cell is not valid Python (after `without_magics`).
    """
    tree = SetStringsAside().visit(ast.parse(without_magics(source)))
    return ast.dump(tree, annotate_fields=False)


def test_statements_set_aside_strings_and_comments_alone():
    english = 'plt.title(f"loss {x:.3f} at {n}")  # the loss\nprint("done", n)\n!barenet info m'
    chinese = 'plt.title(f"第 {n} 步的损失 {x:.2f}")  # 损失\nprint("完成", n)\n!barenet info m'
    assert statements(chinese) == statements(english)
    for drifted in ('plt.title(f"loss {x:.3f} at {n + 1}")\nprint("done", n)\n!barenet info m',
                    'plt.title(f"loss {x:.3f} at {n}")\nprint("done", n, 1)\n!barenet info m',
                    'plt.title(f"loss {x:.3f}")\nprint("done", n)\n!barenet info m',
                    'plt.title(f"loss {x:.3f} at {n}")\nprint("done", n)\n'):
        assert statements(drifted) != statements(english), drifted


@pytest.mark.parametrize("path", TRANSLATED, ids=[p.name for p in TRANSLATED])
def test_chinese_copy_has_the_same_statements(path):
    english = TUTORIALS / path.name
    assert english.is_file(), f"zh-CN/{path.name} has no English original"
    ours, theirs = code_sources(read(path)), code_sources(read(english))
    assert len(ours) == len(theirs), (
        f"zh-CN/{path.name} has {len(ours)} code cells, the English one {len(theirs)}"
    )
    for index, (chinese_code, english_code) in enumerate(zip(ours, theirs, strict=True)):
        assert statements(chinese_code) == statements(english_code), (
            f"zh-CN/{path.name}: code cell {index} does something else than the English one "
            "(only comments and strings may differ)"
        )


NOTEBOOKS = ENGLISH + TRANSLATED
NAMES = [p.relative_to(TUTORIALS).as_posix() for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_stored_outputs_come_from_one_clean_run(path):
    counts, errors = [], []
    for index, cell in enumerate(read(path).cells):
        if cell.cell_type != "code":
            continue
        counts.append(cell.execution_count)
        errors += [index for output in cell.outputs if output.output_type == "error"]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name}: execution counts {counts}: run it again from the top (Restart & Run All)"
    )
    assert not errors, f"{path.name}: code cells {errors} stored an error"


TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
DELIMITER = re.compile(r"^\s*\|(\s*:?-+:?\s*\|)+\s*$")


def table_cells(row: str) -> int:
    """How many cells a Markdown table row has (`|` inside code spans or escaped does not count)."""
    row = re.sub(r"`[^`]*`", "code", row.strip().replace("\\|", ""))
    return row.strip("|").count("|") + 1


def markdown_tables(text: str) -> list[list[str]]:
    """The tables in Markdown `text`: each a list of rows, header first, delimiter row dropped."""
    tables, lines = [], text.splitlines()
    for i in range(1, len(lines)):
        if DELIMITER.match(lines[i]) and TABLE_ROW.match(lines[i - 1]):
            rows = [lines[i - 1]]
            for line in lines[i + 1:]:
                if not TABLE_ROW.match(line):
                    break
                rows.append(line)
            tables.append(rows)
    return tables


def shown_markdown(notebook) -> list[str]:
    """The Markdown a notebook shows: its markdown cells and its code cells' text/markdown outputs."""
    texts = [cell.source for cell in notebook.cells if cell.cell_type == "markdown"]
    for cell in notebook.cells:
        if cell.cell_type == "code":
            texts += [output.data["text/markdown"] for output in cell.outputs
                      if "text/markdown" in output.get("data", {})]
    return texts


def test_table_check_sees_a_row_wider_than_its_header():
    table = "| a | b |\n|---|---|\n| 1 | `x | y` |\n| 1 | 2 | 3 |\ntext"
    (rows,) = markdown_tables(table)
    assert [table_cells(row) for row in rows] == [2, 2, 3]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_every_table_shown_has_its_headers_columns(path):
    for text in shown_markdown(read(path)):
        for header, *rows in markdown_tables(text):
            width = table_cells(header)
            for row in rows:
                assert table_cells(row) == width, (
                    f"{path.name}: a row of {table_cells(row)} cells under a header of {width} "
                    f"(Markdown drops the extra ones):\n{header}\n{row}"
                )


MARKDOWN_LINK = re.compile(r"(?<!!)\[(?P<label>[^\]]*)\]\((?P<target>[^)\s]+)\)")


def anchors(page: Path) -> set[str]:
    """The anchors of a Markdown page: its explicit `<a id=…>` and its headings' GitHub slugs."""
    text = page.read_text(encoding="utf-8")
    found = set(re.findall(r"<a\s+id=\"([^\"]+)\"", text))
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*$", text, flags=re.M):
        found.add(re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-"))
    return found


def chinese_counterpart(page: Path) -> Path:
    """Where the Chinese version of an English page lives: README.md → README.zh-CN.md, x → zh-CN/x."""
    if page.name == "README.md" and page.parent.name != "tutorials":
        return page.with_name("README.zh-CN.md")
    return page.parent / "zh-CN" / page.name


def links(notebook) -> list[tuple[str, str]]:
    """(label, target) of every relative link in a notebook's markdown cells (code spans skipped)."""
    found = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            text = re.sub(r"`[^`\n]*`", "", cell.source)
            found += [(m["label"], m["target"]) for m in MARKDOWN_LINK.finditer(text)
                      if not m["target"].startswith(("http:", "https:", "mailto:", "#"))]
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_links_resolve_and_stay_in_the_notebooks_language(path):
    chinese = path.parent == CHINESE
    for label, target in links(read(path)):
        file, _, anchor = target.partition("#")
        page = (path.parent / file).resolve()
        assert page.exists(), f"{path.name}: [{label}]({target}) names no file"
        if anchor and page.suffix == ".md":
            assert anchor in anchors(page), f"{path.name}: [{label}]({target}): no such anchor"
        english_page = "zh-CN" not in page.as_posix()
        if chinese and english_page and "英文" not in label:
            assert not chinese_counterpart(page).exists(), (
                f"zh-CN/{path.name}: [{label}]({target}) leads to an English page that has a "
                f"Chinese one, {chinese_counterpart(page).relative_to(REPO)} (or say 英文 in the label)"
            )


ENGLISH_SENTENCE = re.compile(r"(?<![\w./(-])[A-Za-z][a-z']*(?:[ ,;:]+[A-Za-z][a-z']*(?![\w./(])){3,}")
PROSE_SET_ASIDE = re.compile(r"```.*?```|`[^`\n]*`|\$\$.*?\$\$|\$[^$\n]*\$|\]\([^)]*\)|<[^>]+>", re.S)


def chinese_texts(notebook) -> list[tuple[str, str]]:
    """(where, text) for what a learner reads in a notebook besides its outputs: the prose of its
    markdown cells (code, formulas and link targets set aside), its code's comments and strings."""
    texts = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            texts.append((f"markdown cell {index}", PROSE_SET_ASIDE.sub(" ", cell.source)))
            continue
        source = without_magics(cell.source)
        tokens = tokenize.generate_tokens(io.StringIO(source).readline)
        texts += [(f"code cell {index}, comment", token.string)
                  for token in tokens if token.type == tokenize.COMMENT]
        texts += [(f"code cell {index}, string", node.value) for node in ast.walk(ast.parse(source))
                  if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    return texts


def test_english_sentence_finder_sees_a_sentence_and_spares_code():
    assert ENGLISH_SENTENCE.search("损失 the loss is still falling 了")
    assert not ENGLISH_SENTENCE.search("barenet train --activation relu --init he_normal，model.layers")


@pytest.mark.parametrize("path", TRANSLATED, ids=[p.name for p in TRANSLATED])
def test_chinese_notebook_speaks_chinese(path):
    from test_docs_terms import ALIASES, CJK, EPOCH, PROOF, PROOF_ALLOWED  # the Chinese pages' rules

    TYPOGRAPHY = {r"\"": "straight quotes (use “…”)", r"\d %": "a space before %",
                  rf"{CJK}[,;:!?]|[,;:!?]{CJK}|{CJK}\(|\){CJK}": "half-width punctuation next to Chinese"}

    for where, text in chinese_texts(read(path)):
        sentence = ENGLISH_SENTENCE.search(text)
        assert not sentence, f"zh-CN/{path.name}, {where}: English left: {sentence.group(0)!r}"
        for alias, word in ALIASES.items():
            assert alias not in text, f"zh-CN/{path.name}, {where}: {alias} (the Chinese pages say {word})"
        assert not PROOF.search(PROOF_ALLOWED.sub("", text)), (
            f"zh-CN/{path.name}, {where}: 证明 is a proof; a numerical check 检验 or 验证"
        )
        if where.startswith("markdown"):
            assert not EPOCH.search(text), f"zh-CN/{path.name}, {where}: epoch as a Chinese word (use 轮)"
            for line in (line for line in text.splitlines() if re.search(CJK, line)):
                for pattern, rule in TYPOGRAPHY.items():
                    assert not re.search(pattern, line), f"zh-CN/{path.name}, {where}: {rule}: {line[:60]}"
