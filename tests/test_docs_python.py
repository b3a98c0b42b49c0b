"""Every ```python block of README.md, README.zh-CN.md and docs/**/*.md runs as written.

Each block runs on its own in a fresh interpreter (this one's `sys.executable`, the same
environment with an absolute `PYTHONPATH`, see child_env.py), from an empty temporary
directory, with a timeout, and must exit with status 0. A block that is only a fragment to read,
not to run, is not tagged `python` (tag it `text`); there is no other way to opt out.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from child_env import child_env

REPO = Path(__file__).resolve().parents[1]
TIMEOUT_S = 120
OPENING = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*)$")


def markdown_files() -> list[Path]:
    """README.md, README.zh-CN.md (when present) and every .md under docs/, sorted."""
    files = [REPO / name for name in ("README.md", "README.zh-CN.md") if (REPO / name).is_file()]
    return files + sorted((REPO / "docs").rglob("*.md"))


def python_blocks(text: str) -> list[tuple[int, str]]:
    """(line number of the opening fence, code) of every fenced block whose info string is python.

    The fence may be ``` or ~~~ (three or more), indented (inside a list item: the indentation is
    removed from the code); it closes at a line of the same character, at least as long.
    """
    blocks: list[tuple[int, str]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        match = OPENING.match(lines[i])
        if not match:
            i += 1
            continue
        indent, fence = match["indent"], match["fence"]
        closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        end = i + 1
        while end < len(lines) and not closing.match(lines[end]):
            end += 1
        if match["info"].split()[:1] == ["python"]:
            code = [line[len(indent):] if line.startswith(indent) else line
                    for line in lines[i + 1 : end]]
            blocks.append((i + 1, "\n".join(code) + "\n"))
        i = end + 1
    return blocks


def all_blocks() -> list[tuple[str, str]]:
    """(id "file:line", code) of every python block of the documentation."""
    found = []
    for path in markdown_files():
        for line, code in python_blocks(path.read_text(encoding="utf-8")):
            found.append((f"{path.relative_to(REPO).as_posix()}:{line}", code))
    return found


BLOCKS = all_blocks()


def test_parser_finds_fenced_python_only():
    text = (
        "intro\n```python\nprint(1)\n```\n```bash\necho no\n```\n"
        "1. item\n\n   ~~~~ python title\n   x = 2\n   ~~~~\n```pycon\n>>> 3\n```\n"
    )
    assert python_blocks(text) == [(2, "print(1)\n"), (10, "x = 2\n")]


def test_readme_has_its_python_example():
    assert any(block_id.startswith("README.md:") for block_id, _ in BLOCKS)


@pytest.mark.parametrize(("block_id", "code"), BLOCKS, ids=[b for b, _ in BLOCKS])
def test_python_block_runs(block_id, code, tmp_path):
    try:
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=tmp_path, env=child_env(), capture_output=True,
            text=True, timeout=TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{block_id}: still running after {TIMEOUT_S} s; keep documentation examples quick")
    assert done.returncode == 0, f"{block_id} failed:\n{done.stderr[-3000:]}"
