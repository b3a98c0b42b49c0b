"""Check the links of a built site, offline: every local href and src must reach a file (and its #id).

    broken_links(site) -> ["page.html: target (why)", ...]     [] when every link works
    outside_links(site) -> ["page.html: tag url", ...]        what a page would load from elsewhere

A link to another host (`https://…`, `mailto:`) is not followed: this checks the site alone.
`outside_links` lists the tags that make a browser fetch from another host when the page opens
(scripts, styles, images, fonts, frames), the offline rule the site keeps.
"""

from __future__ import annotations

import posixpath
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

FETCHING = {("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("source", "src"),
            ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data")}
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)|@import\s+['\"]([^'\"]+)['\"]")


class Links(HTMLParser):
    """The (tag, attribute, value) of every link of a page, and its element ids."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and (name == "id" or tag == "a"):
                self.ids.add(value)
            if name in ("href", "src") or (tag, name) == ("object", "data"):
                # <link rel="preconnect|dns-prefetch"> fetches nothing but still names a host
                self.links.append((tag, name, value))


@cache
def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return parser


def is_outside(url: str) -> bool:
    """True for a URL with a scheme or a host (http:, https:, //host, data: excepted)."""
    parts = urlsplit(url)
    return bool(parts.netloc) or (parts.scheme not in ("", "data", "javascript", "blob"))


def target_file(site: Path, page: Path, url: str) -> tuple[Path, str]:
    """(file, fragment) a relative URL of `page` points at; a folder means its index.html."""
    parts = urlsplit(url)
    base = page.parent.relative_to(site).as_posix()
    path = posixpath.normpath(posixpath.join(base, unquote(parts.path))) if parts.path else \
        page.relative_to(site).as_posix()
    target = site / path
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, unquote(parts.fragment)


def pages(site: Path) -> list[Path]:
    """The site's HTML pages (not the theme's template fragments that Sphinx copies to _static/)."""
    return sorted(page for page in site.rglob("*.html") if "_static" not in page.relative_to(site).parts)


def broken_links(site: Path) -> list[str]:
    """Every local link of the site's HTML and CSS files that reaches no file or no #id."""
    broken = []
    site = site.resolve()
    for page in pages(site):
        for _, _, url in parse(page).links:
            if is_outside(url) or url.startswith("data:"):
                continue
            why = missing(site, page, url)
            if why:
                broken.append(f"{page.relative_to(site).as_posix()}: {url} ({why})")
    for sheet in sorted(site.rglob("*.css")):
        for url in css_urls(sheet):
            if not is_outside(url) and not url.startswith("data:") and not url.startswith("#"):
                target, _ = target_file(site, sheet, url)
                if not target.is_file():
                    broken.append(f"{sheet.relative_to(site).as_posix()}: {url} (no such file)")
    return broken


def missing(site: Path, page: Path, url: str) -> str | None:
    """Why `url` of `page` leads nowhere, or None when it reaches its file and #id."""
    target, fragment = target_file(site, page, url)
    if not target.resolve().is_relative_to(site):
        return "outside the site"
    if not target.is_file():
        return "no such file"
    if fragment and target.suffix == ".html" and fragment not in parse(target).ids:
        return f"no id {fragment!r} in {target.relative_to(site).as_posix()}"
    return None


def css_urls(sheet: Path) -> list[str]:
    text = sheet.read_text(encoding="utf-8", errors="replace")
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
    return [a or b for a, b in CSS_URL.findall(text)]


def outside_links(site: Path) -> list[str]:
    """The tags of the site's pages and style sheets that would fetch from another host."""
    found = []
    site = site.resolve()
    for page in pages(site):
        for tag, name, url in parse(page).links:
            if (tag, name) in FETCHING and is_outside(url) and not url.startswith("data:"):
                found.append(f"{page.relative_to(site).as_posix()}: <{tag} {name}={url}>")
    for sheet in sorted(site.rglob("*.css")):
        found += [f"{sheet.relative_to(site).as_posix()}: url({url})" for url in css_urls(sheet)
                  if is_outside(url) and not url.startswith("data:")]
    return found
