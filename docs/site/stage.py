"""Lay out the site's two source trees from the repository: one Sphinx project per language.

The repository keeps each Chinese page beside its English one, under a `zh-CN` folder at any
depth (docs/zh-CN/math.md is docs/math.md in Chinese; docs/tutorials/zh-CN/02-losses.ipynb is
docs/tutorials/02-losses.ipynb). The site wants the two languages as two trees with the same
paths, so that the switch on a page leads to the same path in the other tree:

    docs/<path>                   -> en/<path>
    docs/<…>/zh-CN/<path>         -> zh-CN/<…>/<path>        ("zh-CN" dropped from the path)
    docs/site/pages/<path>        -> as docs/<path>           (the site's own pages: index, demo)
    README.md, README.zh-CN.md    -> en/readme.md, zh-CN/readme.md
    benchmarks/README.md          -> en/benchmarks.md

A page (.md or .ipynb) found in one language only is copied into the other tree too, with a line
at its top saying it is not translated, so that every page has its counterpart. Images and other
files go into the tree of their language; the English ones into both.

Relative links are rewritten for the new places: to a page of the same tree, a path Sphinx
resolves (and warns about if it is missing); to a page of the other language, a relative URL of
the built site (`{.external}` tells MyST not to look for it in this tree; the built site's link
check does). A link to a file of the repository that is not on the site (source code, say) keeps
its text and loses its link; a link to nothing keeps its target, so the build flags it.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

LANGUAGES = ("en", "zh-CN")
PAGE_SUFFIXES = (".md", ".ipynb")
REPO_PAGES = {"README.md": ("en", "readme.md"), "README.zh-CN.md": ("zh-CN", "readme.md"),
              "benchmarks/README.md": ("en", "benchmarks.md")}
TITLES = {"benchmarks/README.md": "Benchmarks"}  # pages that start without a `# ` title
SKIPPED_PARTS = {"_build", ".ipynb_checkpoints", "__pycache__"}
SKIPPED_DOCS = {"docs/build.py"}

UNTRANSLATED = {
    "zh-CN": "本页只有英文版，下面是英文原文。",
    "en": "This page is written in Chinese only; it is shown here as it is.",
}

# [text](target "title") and ![alt](target): the target has no spaces (CommonMark's rule).
LINK = re.compile(r"(?P<head>!?\[(?P<text>[^\]]*)\])\((?P<target>[^)\s]+)(?P<title>\s+\"[^\"]*\")?\)")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
FENCE = re.compile(r"^(```|~~~)", re.MULTILINE)


@dataclass
class Layout:
    """Where every file of the site comes from: {(lang, site path): repository path}."""

    pages: dict[tuple[str, str], str] = field(default_factory=dict)
    assets: dict[tuple[str, str], str] = field(default_factory=dict)
    untranslated: list[tuple[str, str]] = field(default_factory=list)  # (lang it lacks, site path)
    unlinked: list[str] = field(default_factory=list)  # "page: target" links dropped (not on the site)

    def page_of(self, repo_path: str) -> tuple[str, str] | None:
        """(lang, site path) of the page made from `repo_path`, or None."""
        return next((key for key, source in self.pages.items() if source == repo_path), None)


def site_place(repo_path: str) -> tuple[str, str]:
    """(lang, site path) of a file under docs/ (or docs/site/pages/): `zh-CN` decides the language."""
    *folders, name = repo_path.removeprefix("docs/site/pages/").removeprefix("docs/").split("/")
    lang = "zh-CN" if "zh-CN" in folders else "en"
    return lang, "/".join([*(folder for folder in folders if folder != "zh-CN"), name])


def collect(root: Path) -> Layout:
    """Every page and asset of the site, found in `root` (the repository)."""
    layout = Layout()
    for repo_path, place in REPO_PAGES.items():
        if (root / repo_path).is_file():
            layout.pages[place] = repo_path
    for path in sorted((root / "docs").rglob("*")):
        repo_path = path.relative_to(root).as_posix()
        if not path.is_file() or SKIPPED_PARTS & set(path.parts) or repo_path in SKIPPED_DOCS:
            continue
        if repo_path.startswith("docs/site/") and not repo_path.startswith("docs/site/pages/"):
            continue
        place = site_place(repo_path)
        if place[0] not in LANGUAGES:
            continue
        (layout.pages if path.suffix in PAGE_SUFFIXES else layout.assets)[place] = repo_path
    for lang, site_path in sorted(layout.pages):
        other = LANGUAGES[1 - LANGUAGES.index(lang)]
        if (other, site_path) not in layout.pages:
            layout.untranslated.append((other, site_path))
    for (lang, site_path), repo_path in list(layout.assets.items()):
        if lang == "en":
            layout.assets.setdefault(("zh-CN", site_path), repo_path)
    return layout


def stage(root: Path, out: Path) -> Layout:
    """Write the two source trees, out/en and out/zh-CN, fresh; return their layout."""
    layout = collect(root)
    if out.exists():
        shutil.rmtree(out)
    for (lang, site_path), repo_path in layout.assets.items():
        target = out / lang / site_path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / repo_path, target)
    for (lang, site_path), repo_path in layout.pages.items():
        write_page(root, out, layout, lang, site_path, repo_path, banner=None)
    for lang, site_path in layout.untranslated:
        source_lang = LANGUAGES[1 - LANGUAGES.index(lang)]
        repo_path = layout.pages[(source_lang, site_path)]
        write_page(root, out, layout, lang, site_path, repo_path, banner=UNTRANSLATED[lang])
    return layout


def write_page(root: Path, out: Path, layout: Layout, lang: str, site_path: str, repo_path: str,
               banner: str | None) -> None:
    """Copy one page into tree `lang` at `site_path`, its links rewritten, with `banner` on top."""
    def fix(markdown: str, bases: tuple[str, ...] = (posixpath.dirname(repo_path),)) -> str:
        return rewrite_links(markdown, root, layout, lang, site_path, repo_path, bases)

    text = (root / repo_path).read_text(encoding="utf-8")
    if repo_path in TITLES and not re.search(r"^# ", text, re.MULTILINE):
        text = f"# {TITLES[repo_path]}\n\n{text}"
    if site_path.endswith(".ipynb"):
        notebook = json.loads(text)
        cells = [cell for cell in notebook["cells"] if cell["cell_type"] == "markdown"]
        for cell in cells:
            cell["source"] = fix("".join(cell["source"]))
        # Markdown a cell displays may quote a file of the repository (chapter 7 shows README's
        # accuracy section): its links are relative to the notebook, or else to the root.
        for output in markdown_outputs(notebook):
            output["text/markdown"] = fix("".join(output["text/markdown"]),
                                          (posixpath.dirname(repo_path), ""))
        if banner and cells:
            cells[0]["source"] = with_banner(cells[0]["source"], banner)
        text = json.dumps(notebook, ensure_ascii=False, indent=1)
    else:
        text = fix(text)
        if banner:
            text = with_banner(text, banner)
    target = out / lang / site_path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def markdown_outputs(notebook: dict) -> list[dict]:
    """The data dicts of a notebook's outputs that hold text/markdown."""
    return [output["data"] for cell in notebook["cells"] if cell["cell_type"] == "code"
            for output in cell.get("outputs", []) if "text/markdown" in output.get("data", {})]


def with_banner(markdown: str, banner: str) -> str:
    """`markdown` with a note holding `banner` right after its first `# ` title (or at the top)."""
    note = f"\n```{{note}}\n{banner}\n```\n"
    match = re.search(r"^# .*$", markdown, re.MULTILINE)
    if match is None:
        return note + "\n" + markdown
    return markdown[: match.end()] + "\n" + note + markdown[match.end():]


def rewrite_links(markdown: str, root: Path, layout: Layout, lang: str, site_path: str,
                  repo_path: str, bases: tuple[str, ...]) -> str:
    """Every relative link of `markdown` (outside code fences) pointed at its place on the site."""
    pieces = FENCE.split(markdown)
    # FENCE.split keeps the fence markers: text, marker, code, marker, text, ...
    inside = False
    result = []
    for piece in pieces:
        if piece in ("```", "~~~"):
            inside = not inside
            result.append(piece)
            continue
        result.append(piece if inside else LINK.sub(
            lambda m: new_link(m, root, layout, lang, site_path, repo_path, bases), piece))
    return "".join(result)


def new_link(match: re.Match, root: Path, layout: Layout, lang: str, site_path: str,
             repo_path: str, bases: tuple[str, ...]) -> str:
    """The link of `match`, rewritten for the page `site_path` of tree `lang` (see the module).

    The target is resolved against the first of `bases` (repository folders) where it exists.
    """
    target = match["target"]
    if SCHEME.match(target) or target.startswith("#"):
        return match[0]
    path, hash_, anchor = target.partition("#")
    candidates = [posixpath.normpath(posixpath.join(base, path)) for base in bases]
    resolved = next((c for c in candidates if (root / c).exists()), candidates[0])
    here = posixpath.dirname(site_path)
    title = match["title"] or ""
    page = layout.page_of(resolved)
    if page is not None:
        page_lang, page_path = page
        if page_lang == lang or (lang, page_path) in layout.untranslated:
            # same tree (an untranslated page's copy stands in this tree at the same path)
            relative = posixpath.relpath(page_path, here or ".")
            if len(bases) > 1:  # a notebook's output: MyST-NB keeps its links as they are written
                relative = posixpath.splitext(relative)[0] + ".html"
            return f"{match['head']}({relative}{hash_}{anchor}{title})"
        url = cross_language_url(lang, site_path, page_lang, page_path)
        external = "" if len(bases) > 1 else "{.external}"  # MyST reads attributes in cells only
        return f"{match['head']}({url}{hash_}{anchor}{title}){external}"
    for key, source in layout.assets.items():
        if source == resolved and key[0] == lang:
            return f"{match['head']}({posixpath.relpath(key[1], here or '.')}{hash_}{anchor}{title})"
    if not resolved.startswith("../") and (root / resolved).exists() and not match["head"].startswith("!"):
        layout.unlinked.append(f"{repo_path}: {target}")
        return match["text"]
    return match[0]


def cross_language_url(lang: str, site_path: str, other_lang: str, other_path: str) -> str:
    """The relative URL, in the built site, from page `site_path` of `lang` to a page of `other_lang`.

    The English site is the root, the Chinese one its zh-CN/ folder.
    """
    up = "../" * site_path.count("/")
    html = posixpath.splitext(other_path)[0] + ".html"
    if lang == "en":
        return f"{up}{other_lang}/{html}"
    return f"{up}../{html}"
