"""The documentation's links: every relative link resolves, and each language links its own pages.

Pages are README.md, README.zh-CN.md and every .md under docs/. A Chinese page is README.zh-CN.md
or a page under a `zh-CN/` folder; its English counterpart is named by `english_of`. The rules:

- every relative link (`[text](target)`, `[text](target#anchor)`) names an existing file, and an
  anchor into a Markdown page names a heading of it (GitHub's slug) or an explicit `<a id=…>`;
- every Chinese page has its English counterpart, and every English page a learner reads (all
  but the developer pages of ENGLISH_ONLY) has its Chinese one;
- a Chinese page links a Chinese page wherever one exists: the only link from a Chinese page to
  an English page that has a Chinese counterpart is to its own counterpart, labelled English;
- an English page links its Chinese counterpart.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

#: English pages without a Chinese counterpart, and why: pages for developers, not learners.
ENGLISH_ONLY = {
    "docs/design.md": "the architecture, for contributors",
    "docs/ecosystem.md": "scikit-learn, Dask and ONNX, for users of those tools",
}

LINK = re.compile(r"(?<!!)\[(?P<label>[^\]]*)\]\((?P<target>[^)\s]+)\)|!\[[^\]]*\]\((?P<image>[^)\s]+)\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", flags=re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]*`")


def pages() -> list[Path]:
    found = [REPO / name for name in ("README.md", "README.zh-CN.md") if (REPO / name).is_file()]
    return found + sorted((REPO / "docs").rglob("*.md"))


def rel(path: Path) -> str:
    return path.resolve().relative_to(REPO).as_posix()


def is_chinese(path: Path) -> bool:
    name = rel(path)
    return name == "README.zh-CN.md" or "/zh-CN/" in f"/{name}"


def english_of(path: Path) -> Path:
    """The English counterpart of a Chinese page (README.zh-CN.md → README.md, zh-CN/x → x)."""
    name = rel(path)
    if name == "README.zh-CN.md":
        return REPO / "README.md"
    return REPO / name.replace("zh-CN/", "", 1)


def chinese_of(path: Path) -> Path:
    """The Chinese counterpart of an English page (which may not exist)."""
    name = rel(path)
    if name == "README.md":
        return REPO / "README.zh-CN.md"
    folder, _, file = name.rpartition("/")
    return REPO / (f"{folder}/zh-CN/{file}" if folder else f"zh-CN/{file}")


def links(path: Path) -> list[tuple[str, str]]:
    """(label, target) of every link and image in a page, code blocks and inline code left out."""
    text = INLINE_CODE.sub("", FENCE.sub("", path.read_text(encoding="utf-8")))
    found = []
    for m in LINK.finditer(text):
        if m["image"]:
            found.append(("", m["image"]))
        else:
            found.append((m["label"], m["target"]))
    return found


def relative_links(path: Path) -> list[tuple[str, Path, str]]:
    """(label, resolved file, anchor) of every link that is not a URL or a bare anchor."""
    out = []
    for label, target in links(path):
        if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue
        file, _, anchor = target.partition("#")
        out.append((label, (path.parent / file).resolve(), anchor))
    return out


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"<[^>]+>", "", heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    found = set(re.findall(r"<a\s+(?:id|name)=\"([^\"]+)\"", text))
    seen: dict[str, int] = {}
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", text, flags=re.M):
        base = slug(heading)
        n = seen.get(base, 0)
        seen[base] = n + 1
        found.add(base if n == 0 else f"{base}-{n}")
    return found


PAGES = pages()
IDS = [rel(p) for p in PAGES]


def test_the_rules_see_the_pages():
    names = set(IDS)
    assert {"README.md", "README.zh-CN.md", "docs/math.md", "docs/zh-CN/math.md"} <= names
    assert sum(is_chinese(p) for p in PAGES) >= 7


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_every_relative_link_resolves(page):
    broken = []
    for label, file, anchor in relative_links(page):
        if not file.exists():
            broken.append(f"[{label}] → {file} (no such file)")
        elif anchor and file.suffix == ".md" and anchor not in anchors(file):
            broken.append(f"[{label}] → {rel(file)}#{anchor} (no such anchor)")
    assert not broken, f"{rel(page)}: broken links: {broken}"


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_every_page_has_its_counterpart(page):
    if is_chinese(page):
        assert english_of(page).is_file(), f"{rel(page)} has no English counterpart"
    elif rel(page) not in ENGLISH_ONLY:
        assert chinese_of(page).is_file(), (
            f"{rel(page)} has no Chinese counterpart {rel(chinese_of(page))}; write it, or list the "
            "page in ENGLISH_ONLY with the reason")


def has_chinese_counterpart(file: Path) -> bool:
    if not file.is_relative_to(REPO) or is_chinese(file) or file.suffix not in (".md", ".ipynb"):
        return False
    return chinese_of(file).is_file()


@pytest.mark.parametrize("page", [p for p in PAGES if is_chinese(p)], ids=lambda p: rel(p))
def test_a_chinese_page_links_chinese_pages(page):
    wrong, english_links = [], []
    for label, file, _ in relative_links(page):
        if not has_chinese_counterpart(file):
            continue
        if file == english_of(page).resolve() and re.search(r"English|英文", label):
            english_links.append(label)
        else:
            wrong.append(f"[{label}] → {rel(file)} (link {rel(chinese_of(file))} instead)")
    assert not wrong, f"{rel(page)} sends a Chinese reader to English pages: {wrong}"
    assert len(english_links) == 1, (
        f"{rel(page)} should link its English version exactly once, labelled English: {english_links}")


@pytest.mark.parametrize("page", [p for p in PAGES if not is_chinese(p) and chinese_of(p).is_file()],
                         ids=lambda p: rel(p))
def test_an_english_page_links_its_chinese_version(page):
    targets = {file for _, file, _ in relative_links(page)}
    assert chinese_of(page).resolve() in targets, f"{rel(page)} does not link {rel(chinese_of(page))}"


def test_the_anchor_rules_match_github():
    assert slug("10. Gradient checking: why the central difference can be trusted") == (
        "10-gradient-checking-why-the-central-difference-can-be-trusted")
    assert slug("梯度检验：为什么中心差分可信") == "梯度检验为什么中心差分可信"
    assert slug("What augmentation costs") == "what-augmentation-costs"


def test_the_checker_finds_a_broken_link_and_a_missing_anchor(tmp_path):
    (tmp_path / "a.md").write_text("# Top\n<a id=\"s1\"></a>\n## One two\n", encoding="utf-8")
    page = tmp_path / "b.md"
    page.write_text("[ok](a.md#s1) [ok](a.md#one-two) [no](c.md) [no](a.md#nowhere) `[code](x.md)`\n"
                    "```\n[fenced](y.md)\n```\n", encoding="utf-8")
    found = [(file.name, anchor) for _, file, anchor in relative_links(page)]
    assert found == [("a.md", "s1"), ("a.md", "one-two"), ("c.md", ""), ("a.md", "nowhere")]
    assert anchors(tmp_path / "a.md") == {"s1", "top", "one-two"}
