"""Build barenet's site, offline: `python docs/build.py` writes docs/_build/html/ (open index.html).

The English pages are the root of the site, the Chinese ones its zh-CN/ folder; every page has a
switch to the same page in the other language. Needs the docs extra (`pip install -e '.[docs]'`,
which the test extra includes); reads docs/ and a few repository pages (see docs/site/stage.py),
runs the notebooks never (their stored outputs are shown), fetches nothing.

Steps: lay out a source tree per language in a temporary folder (outside docs/, whose Markdown
the docs tests read), run Sphinx on both at once (one process per language, docs/site/conf.py for
both), then check every link of the built site and
that no page loads anything from another host. Exit status 1, with the reasons, when Sphinx
reports an error, a missing image or a page in no table of contents, when a link or its #anchor
leads nowhere in the built site, or when a page reaches outside; other warnings are counted.
The folder docs/_build/html/ can be served by any static host (GitHub Pages included) as it is.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
SITE = DOCS / "site"
sys.path.insert(0, str(SITE))

import linkcheck  # noqa: E402 - docs/site is not a package
import stage  # noqa: E402

LANGUAGES = {"en": "en", "zh-CN": "zh_CN"}  # tree -> Sphinx's `language`


def sphinx_command(work: Path, html: Path, lang: str) -> list[str]:
    """The Sphinx command that builds tree work/src/`lang` into its place in `html`."""
    out = html if lang == "en" else html / lang
    return [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-E", "-c", str(SITE),
            "-D", f"language={LANGUAGES[lang]}", "-d", str(work / "doctrees" / lang),
            str(work / "src" / lang), str(out)]


def run_sphinx(work: Path, html: Path) -> list[str]:
    """Build both languages at once; return the problems Sphinx reported (empty: a clean build)."""
    processes = {lang: subprocess.Popen(sphinx_command(work, html, lang), stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, cwd=ROOT)
                 for lang in LANGUAGES}
    problems = []
    notes = []
    for lang, process in processes.items():
        out, err = process.communicate()
        lines = [line for line in (out + err).splitlines() if is_problem(line)]
        problems += [f"[{lang}] {line}" for line in lines]
        notes += [f"[{lang}] {line}" for line in (out + err).splitlines()
                  if "WARNING" in line and not is_problem(line)]
        if process.returncode != 0 and not lines:
            problems.append(f"[{lang}] sphinx exited with status {process.returncode}:\n{err}")
    if notes:  # a heading level, an anchor MyST cannot see: shown, not failed
        print(f"{len(notes)} other Sphinx warnings (links are checked on the built site), e.g.:",
              *notes[:SHOWN], sep="\n  ", file=sys.stderr)
    return problems


# Sphinx warnings that mean a reader would miss a picture or a page. Links are judged on the
# built site instead (linkcheck): MyST warns about anchors written as raw HTML (<a id="s10"></a>,
# as the pages do for GitHub) that do work, and turns a link it cannot resolve into "#target",
# which the link check reports as broken.
BROKEN = ("not readable", "nonexisting document", "isn't included in any toctree")
SHOWN = 5  # other warnings: how many are printed (all are counted)


def is_problem(line: str) -> bool:
    """A Sphinx error, or a warning about an image or a page that readers would miss."""
    if "ERROR" in line or "Traceback" in line or "Exception" in line:
        return True
    return "WARNING" in line and any(sign in line for sign in BROKEN)


def size_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 1e6


def build(build_dir: Path = DOCS / "_build") -> int:
    """The whole build; prints what it did and any problem; returns the exit status."""
    start = time.perf_counter()
    html = build_dir / "html"
    if html.exists():
        shutil.rmtree(html)
    with tempfile.TemporaryDirectory(prefix="barenet-site-") as work:
        layout = stage.stage(ROOT, Path(work) / "src")
        problems = run_sphinx(Path(work), html)
    problems += [f"broken link: {line}" for line in linkcheck.broken_links(html)]
    problems += [f"loads from another host: {line}" for line in linkcheck.outside_links(html)]
    seconds = time.perf_counter() - start
    pages = len(list(html.rglob("*.html")))
    print(f"built {html}/index.html: {pages} HTML files, {size_mb(html):.1f} MB, in {seconds:.0f} s")
    for lang, path in layout.untranslated:
        print(f"  {path}: no {lang} version (the other language's page is shown, with a note)")
    for line in layout.unlinked:
        print(f"  link to a file that is not on the site, kept as text: {line}")
    for line in problems:
        print(line, file=sys.stderr)
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DOCS / "_build",
                        help="build folder (default docs/_build; the site goes to OUT/html)")
    args = parser.parse_args(argv)
    return build(args.out.resolve())


if __name__ == "__main__":
    sys.exit(main())
