"""The Sphinx extension of barenet's site: two languages, the switch between them, offline MathJax.

    config-inited      settings that depend on the language (`-D language=en` or `zh_CN`)
    source-read        the index page's `<!-- barenet:contents -->` becomes its tables of contents
    html-page-context  `barenet_switch`: the URL of the same page in the other language
    build-finished     the English build copies MathJax (from sphinx-mathjax-offline) to _static/

The English site is the root of the built site and the Chinese one its zh-CN/ folder, so the
same page in the other language is `zh-CN/<page>.html` from the root, or `../<page>.html` from
zh-CN/ (stage.py gives every page a counterpart). MathJax is copied once, into the root's
_static/mathjax/, and the Chinese pages load it from there.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

MARKER = "<!-- barenet:contents -->"
LABELS = {"en": "简体中文", "zh-CN": "English"}
TITLES = {"en": "barenet: neural networks in bare NumPy", "zh-CN": "barenet：用纯 NumPy 写神经网络"}
# The MathJax 3 files a page can load: the TeX-to-HTML component, the TeX extensions it loads on
# demand, its fonts, and the menu's and accessibility parts (speech rule engine included).
MATHJAX_PARTS = ["tex-chtml.js", "input/tex/extensions", "output/chtml/fonts/woff-v2", "ui", "a11y",
                 "sre"]


def site_language(config) -> str:
    """"en" or "zh-CN", from Sphinx's `language` ("zh_CN")."""
    return "zh-CN" if str(config.language).lower().startswith("zh") else "en"


def mathjax_source() -> Path:
    """MathJax 3's es5 folder as sphinx-mathjax-offline ships it."""
    import importlib.util

    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or spec.origin is None:
        raise RuntimeError("sphinx-mathjax-offline is missing: pip install -e '.[docs]'")
    return Path(spec.origin).parent / "static" / "mathjax"


def configure(app, config) -> None:
    """Search language, title and MathJax's place for this build's language."""
    lang = site_language(config)
    config.html_title = TITLES[lang]
    # myst-nb writes the outputs' images beside the build's output folder unless told otherwise:
    # each language keeps its own, out of the site (Sphinx copies those a page shows to _images/).
    config.nb_output_folder = str(Path(app.doctreedir) / "jupyter_execute")
    if lang == "zh-CN":
        config.html_search_language = "zh"
        config.html_search_options = {"dict": str(jieba_dictionary(app))}
        # _static/ of zh-CN/ is two levels below the root's _static/mathjax/
        config.mathjax_path = "../../_static/mathjax/tex-chtml.js"
    else:
        config.html_search_language = "en"
        config.mathjax_path = "mathjax/tex-chtml.js"


def glossary_terms(markdown: str) -> list[str]:
    """The Chinese terms of the glossary's tables: the first cell of each row, aliases split off.

    "| 多层感知机（多层感知器） | multilayer perceptron | …" -> ["多层感知机", "多层感知器"]
    """
    def cells(line: str) -> list[str]:
        return [cell.strip() for cell in line.strip().strip("|").split("|")]

    def separator(line: str) -> bool:
        return line.lstrip().startswith("|") and set("".join(cells(line))) <= set("-: ")

    terms = []
    lines = markdown.splitlines()
    for line, following in zip(lines, [*lines[1:], ""], strict=True):
        if not line.lstrip().startswith("|") or separator(line) or separator(following):
            continue  # not a table row, or the row of column titles
        for term in re.split(r"[（）()、，,/；;]", cells(line)[0]):
            term = term.strip()
            if re.search(r"[\u4e00-\u9fff]", term) and " " not in term:
                terms.append(term)
    return sorted(set(terms))


def jieba_dictionary(app) -> Path:
    """A jieba user dictionary of the glossary's terms, so that 反向传播 is indexed as one word.

    jieba's own dictionary splits many of the field's terms into pieces; the query a reader types
    is looked up whole, so the index must hold the whole term.
    """
    glossary = Path(app.srcdir) / "glossary.md"
    terms = glossary_terms(glossary.read_text(encoding="utf-8")) if glossary.is_file() else []
    path = Path(app.doctreedir) / "jieba-terms.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{term}\n" for term in terms), encoding="utf-8")
    return path


def pattern_regex(pattern: str) -> re.Pattern:
    """A toctree-style glob as a regex: "*" within a folder, "**" across folders, [..] a class."""
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "[":
            end = pattern.index("]", i)
            out, i = out + pattern[i : end + 1], end + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out + "$")


def sections(docnames, layout, more) -> list[tuple[str, list[str]]]:
    """[(caption, docnames)] of the index page: each page in the first section that matches it."""
    left = sorted(name for name in docnames if name != "index")
    result = []
    for caption, patterns in [*layout, (more, ["**"])]:
        chosen = []
        for pattern in patterns:
            regex = pattern_regex(pattern)
            matched = [name for name in left if regex.match(name)]
            chosen += matched
            left = [name for name in left if name not in matched]
        if chosen:
            result.append((caption, chosen))
    return result


def contents(app, docname, source) -> None:
    """Replace the index page's marker with one toctree per section."""
    if docname != app.config.root_doc or MARKER not in source[0]:
        return
    lang = site_language(app.config)
    layout = [(titles[lang], patterns) for titles, patterns in app.config.barenet_sections]
    blocks = []
    titles = {name: by_lang[lang] for name, by_lang in app.config.barenet_titles.items() if lang in by_lang}
    for caption, names in sections(app.env.found_docs, layout, app.config.barenet_more[lang]):
        entries = "\n".join(f"{titles[name]} <{name}>" if name in titles else name for name in names)
        blocks.append(f"```{{toctree}}\n:caption: {caption}\n:maxdepth: 1\n\n{entries}\n```\n")
    source[0] = source[0].replace(MARKER, "\n".join(blocks))


def switch(app, pagename, templatename, context, doctree) -> None:
    """`barenet_switch` in the page's context: url, label and language of its counterpart."""
    lang = site_language(app.config)
    up = "../" * pagename.count("/")
    if lang == "en":
        url, other = f"{up}zh-CN/{pagename}.html", "zh-CN"
    else:
        url, other = f"{up}../{pagename}.html", "en"
    context["barenet_switch"] = {"url": url, "label": LABELS[lang], "lang": other}


def copy_mathjax(app, exception) -> None:
    """The English build (the site's root) gets the MathJax files the pages of both languages use."""
    if exception is not None or site_language(app.config) != "en" or app.builder.format != "html":
        return
    source = mathjax_source()
    target = Path(app.outdir) / "_static" / "mathjax"
    for part in MATHJAX_PARTS:
        origin = source / part
        if origin.is_dir():
            shutil.copytree(origin, target / part, dirs_exist_ok=True)
        else:
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(origin, target / part)


def setup(app):
    app.add_config_value("barenet_sections", [], "env")
    app.add_config_value("barenet_more", {"en": "More", "zh-CN": "More"}, "env")
    app.add_config_value("barenet_titles", {}, "env")
    app.connect("config-inited", configure)
    app.connect("source-read", contents)
    app.connect("html-page-context", switch)
    app.connect("build-finished", copy_mathjax)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
