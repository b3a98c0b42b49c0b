"""Sphinx configuration of barenet's site, one file for both languages.

`python docs/build.py` lays out a source tree per language (see stage.py) and runs Sphinx on each
with this configuration: `-D language=en` for the site's root, `-D language=zh_CN` for its zh-CN/
folder. What differs between the two (search language, titles, where MathJax lives) is set by
barenet_site.py from `language`.

Why these tools: Sphinx 8.2 with myst-nb reads the notebooks with their stored outputs (never
running them: the tests do) and the Markdown pages as they are; Sphinx's Chinese search splits
words with jieba at build time and needs nothing at reading time; sphinx-book-theme is a
well-kept theme with a table of contents that follows the reader and no fonts from a CDN.
Sphinx 9.0's Chinese search is broken ("ChineseStemmer is not defined", sphinx-doc/sphinx#14229),
hence the pin below 9 in pyproject.toml; tests/test_site.py searches the Chinese site to catch it.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

project = "barenet"
author = "barenet's authors"
copyright = "barenet's authors, MIT licence"
language = "en"

extensions = ["myst_nb", "sphinx.ext.mathjax", "barenet_site"]
templates_path = [str(HERE / "templates")]
html_static_path = [str(HERE / "static")]
exclude_patterns = ["**/.ipynb_checkpoints"]
root_doc = "index"

# Markdown: $…$ and $$…$$ math, {.external} on the links between the two languages (stage.py).
myst_enable_extensions = ["dollarmath", "amsmath", "attrs_inline", "colon_fence"]
myst_heading_anchors = 6

# Notebooks: shown with the outputs stored in them, never executed; no widget scripts from a CDN.
nb_execution_mode = "off"
nb_ipywidgets_js: dict = {}
nb_merge_streams = True

html_theme = "sphinx_book_theme"
html_title = "barenet"
html_css_files = ["site.css", "network.css"]
html_copy_source = False  # the notebooks are in the repository; the site need not carry them twice
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "article_header_end": ["language-switch.html", "article-header-buttons.html"],
    "navigation_with_keys": False,
}

# The index page's contents: sections in this order; a page is in the first section with a
# pattern matching its path ("*" stays in a folder, "**" does not); pages matching none are
# listed under "More", so a page added to docs/ is on the site without a change here.
barenet_sections = [
    ({"en": "Course", "zh-CN": "教程"},
     ["tutorials/README", "tutorials/[0-9]*", "tutorials/**", "bridge", "exercises", "exercises/**"]),
    ({"en": "Try it", "zh-CN": "动手试试"}, ["in-the-browser", "try-your-own-digit"]),
    ({"en": "Reference", "zh-CN": "参考"}, ["math", "glossary", "mistakes"]),
    ({"en": "The project", "zh-CN": "项目"}, ["readme", "design", "ecosystem", "benchmarks"]),
]
barenet_more = {"en": "More", "zh-CN": "更多"}
# Titles in the contents where a page's own title would not do (the README's is just "barenet").
barenet_titles = {
    "readme": {"en": "About barenet (the README)", "zh-CN": "关于 barenet（README）"},
}
html_context = {"default_mode": "auto"}  # pydata-sphinx-theme logs an error when it is unset
html_favicon = str(HERE / "static" / "favicon.svg")  # else browsers ask the host for /favicon.ico
