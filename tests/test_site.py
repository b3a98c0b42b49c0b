"""The site's parts that need no browser: the layout of the two languages, links, contents, search
terms, the link checker, and the weights file of the in-page network (`barenet export --web`).

The built site itself, in Chromium, is tests/test_site_browser.py (slow).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from barenet.cli import main
from barenet.nn import BatchNorm, Dense, Dropout, LeakyReLU, ReLU, Sequential, Sigmoid, Softmax, Tanh
from barenet.saving import modelfile
from barenet.web.weights import decode, encode, read_web, to_web, write_web

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "site"))

import barenet_site  # noqa: E402 - docs/site is not a package
import linkcheck  # noqa: E402
import stage  # noqa: E402


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# ---- the two trees --------------------------------------------------------------------------

@pytest.mark.parametrize(("repo_path", "place"), [
    ("docs/math.md", ("en", "math.md")),
    ("docs/zh-CN/math.md", ("zh-CN", "math.md")),
    ("docs/tutorials/02-losses.ipynb", ("en", "tutorials/02-losses.ipynb")),
    ("docs/tutorials/zh-CN/02-losses.ipynb", ("zh-CN", "tutorials/02-losses.ipynb")),
    ("docs/exercises/zh-CN/01.md", ("zh-CN", "exercises/01.md")),
    ("docs/site/pages/zh-CN/index.md", ("zh-CN", "index.md")),
    ("docs/site/pages/in-the-browser.md", ("en", "in-the-browser.md")),
])
def test_a_zh_cn_folder_at_any_depth_marks_the_chinese_page(repo_path, place):
    assert stage.site_place(repo_path) == place


@pytest.fixture
def repo(tmp_path):
    """A small repository: a page in both languages, one in each alone, a notebook, an image."""
    write(tmp_path / "README.md", "# barenet\n\n[中文](README.zh-CN.md) · [math](docs/math.md)\n")
    write(tmp_path / "README.zh-CN.md", "# barenet\n\n[English](README.md)\n")
    write(tmp_path / "docs" / "math.md", "# Math\n\nSee [design](design.md#parts), [the code]"
          "(../src/x.py), [nothing](gone.md) and ![a figure](figure.png).\n\n```\n[not](a-link.md)\n```\n")
    write(tmp_path / "docs" / "zh-CN" / "math.md",
          "# 数学\n\n[English](../math.md) · [术语表](glossary.md)\n")
    write(tmp_path / "docs" / "zh-CN" / "glossary.md", "# 术语表\n\n| 中文 | English |\n|---|---|\n"
          "| 反向传播 | backpropagation |\n| 多层感知机（多层感知器） | MLP |\n")
    write(tmp_path / "docs" / "design.md", "# Design\n\n## Parts\n")
    write(tmp_path / "docs" / "figure.png", "not really a PNG")
    write(tmp_path / "src" / "x.py", "")
    cell = {"cell_type": "markdown", "metadata": {}, "source": ["# Chapter\n", "[math](../math.md)"]}
    notebook = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    write(tmp_path / "docs" / "tutorials" / "01-a.ipynb", json.dumps(notebook))
    write(tmp_path / "docs" / "_build" / "old.md", "# left over from a build")
    return tmp_path


def test_staging_gives_every_page_a_counterpart_and_says_which_are_untranslated(repo, tmp_path):
    layout = stage.stage(repo, tmp_path / "out")
    trees = {lang: {p.relative_to(tmp_path / "out" / lang).as_posix()
                    for p in (tmp_path / "out" / lang).rglob("*") if p.is_file()}
             for lang in stage.LANGUAGES}
    assert trees["en"] == trees["zh-CN"] == {"readme.md", "math.md", "glossary.md", "design.md",
                                             "figure.png", "tutorials/01-a.ipynb"}
    assert sorted(layout.untranslated) == [("en", "glossary.md"), ("zh-CN", "design.md"),
                                           ("zh-CN", "tutorials/01-a.ipynb")]
    out = tmp_path / "out"
    assert stage.UNTRANSLATED["zh-CN"] in (out / "zh-CN" / "design.md").read_text(encoding="utf-8")
    assert stage.UNTRANSLATED["en"] in (out / "en" / "glossary.md").read_text(encoding="utf-8")
    copy = json.loads((tmp_path / "out" / "zh-CN" / "tutorials" / "01-a.ipynb").read_text(encoding="utf-8"))
    assert stage.UNTRANSLATED["zh-CN"] in copy["cells"][0]["source"]


def test_links_are_rewritten_for_the_pages_new_places(repo, tmp_path):
    layout = stage.stage(repo, tmp_path / "out")
    out = tmp_path / "out"
    math = (out / "en" / "math.md").read_text(encoding="utf-8")
    assert "[design](design.md#parts)" in math and "![a figure](figure.png)" in math
    assert "[nothing](gone.md)" in math, "a link to nothing stays, for the build to flag"
    assert "the code" in math and "../src/x.py" not in math, "a link to a file off the site loses its link"
    assert "[not](a-link.md)" in math, "code blocks are left alone"
    assert layout.unlinked == ["docs/math.md: ../src/x.py"]
    zh_math = (out / "zh-CN" / "math.md").read_text(encoding="utf-8")
    assert "[English](../math.html){.external}" in zh_math and "[术语表](glossary.md)" in zh_math
    readme = (out / "en" / "readme.md").read_text(encoding="utf-8")
    assert "[中文](zh-CN/readme.html){.external}" in readme and "[math](math.md)" in readme
    chapter = json.loads((out / "en" / "tutorials" / "01-a.ipynb").read_text(encoding="utf-8"))
    assert "[math](../math.md)" in chapter["cells"][0]["source"]


def test_the_cross_language_url_climbs_out_of_folders():
    assert stage.cross_language_url("en", "tutorials/01.md", "zh-CN", "tutorials/01.md") == \
        "../zh-CN/tutorials/01.html"
    assert stage.cross_language_url("zh-CN", "tutorials/01.md", "en", "math.md") == "../../math.html"
    assert stage.cross_language_url("zh-CN", "math.md", "en", "math.md") == "../math.html"


def test_the_repository_s_pages_all_land_on_the_site():
    layout = stage.collect(ROOT)
    for path in ROOT.joinpath("docs").rglob("*"):
        relative = path.relative_to(ROOT).as_posix()
        if path.suffix in stage.PAGE_SUFFIXES and "_build" not in path.parts and \
                ".ipynb_checkpoints" not in path.parts and not relative.startswith("docs/site/"):
            assert layout.page_of(relative) is not None, f"{relative} is not on the site"
    assert ("en", "index.md") in layout.pages and ("zh-CN", "index.md") in layout.pages


# ---- the index's contents and the search terms ----------------------------------------------

def test_contents_place_each_page_once_and_a_new_page_under_more():
    layout = [("Course", ["tutorials/README", "tutorials/[0-9]*"]), ("Reference", ["math", "glossary"])]
    names = ["index", "math", "glossary", "tutorials/02-b", "tutorials/01-a", "tutorials/README",
             "exercises/one", "new-page"]
    assert barenet_site.sections(names, layout, "More") == [
        ("Course", ["tutorials/README", "tutorials/01-a", "tutorials/02-b"]),
        ("Reference", ["math", "glossary"]),
        ("More", ["exercises/one", "new-page"]),
    ]
    assert barenet_site.pattern_regex("tutorials/*").match("tutorials/a/b") is None
    assert barenet_site.pattern_regex("tutorials/**").match("tutorials/a/b")


def test_the_site_s_layout_covers_the_repository_s_pages_in_order():
    sys.modules.pop("conf", None)
    import conf

    layout = stage.collect(ROOT)
    names = [path.rsplit(".", 1)[0] for lang, path in layout.pages if lang == "en"]
    sections = barenet_site.sections(names, [(t["en"], p) for t, p in conf.barenet_sections], "More")
    listed = [name for _, names in sections for name in names]
    assert sorted(listed) == sorted(n for n in names if n != "index")
    assert sections[0][1][0] == "tutorials/README" and sections[0][1][1].startswith("tutorials/01-")


def test_the_glossary_gives_jieba_whole_terms():
    terms = barenet_site.glossary_terms("| 中文 | English |\n|---|---|\n| 多层感知机（多层感知器） | MLP |\n"
                                        "| 交叉熵 | cross-entropy |\n| ReLU | ReLU |\n")
    assert terms == ["交叉熵", "多层感知器", "多层感知机"]
    real = barenet_site.glossary_terms((ROOT / "docs" / "zh-CN" / "glossary.md").read_text(encoding="utf-8"))
    assert {"反向传播", "交叉熵", "小批量"} <= set(real)


def test_sphinx_is_below_9_whose_chinese_search_is_broken():
    sphinx = pytest.importorskip("sphinx")
    # Sphinx 9.0's Chinese search fails in the browser ("ChineseStemmer is not defined",
    # sphinx-doc/sphinx#14229); test_site_browser.py searches the Chinese site to see it work.
    assert sphinx.version_info[0] < 9


# jieba's load_userdict leaves its file open; jieba imports pkg_resources where setuptools has it
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore:pkg_resources is deprecated:UserWarning")
def test_jieba_with_the_glossary_indexes_backpropagation_as_one_word(tmp_path):
    jieba = pytest.importorskip("jieba")
    assert "反向传播" not in jieba.lcut_for_search("用反向传播计算交叉熵的梯度"), "jieba alone splits it"
    from sphinx.search.zh import SearchChinese

    dictionary = tmp_path / "terms.txt"
    dictionary.write_text("反向传播\n", encoding="utf-8")
    words = SearchChinese({"dict": str(dictionary)}).split("用反向传播计算交叉熵的梯度")
    assert "反向传播" in words


# ---- the link checker ------------------------------------------------------------------------

def test_the_link_checker_finds_broken_links_missing_ids_and_outside_fetches(tmp_path):
    write(tmp_path / "index.html", '<a href="a.html#top">a</a> <a href="a.html#nowhere">b</a> '
          '<a href="gone.html">c</a> <a href="https://example.org/">d</a> <img src="pic.png">'
          '<script src="https://cdn.example.org/x.js"></script><link rel="stylesheet" href="s.css">')
    write(tmp_path / "a.html", '<h1 id="top">A</h1><a href="sub/">folder</a>')
    write(tmp_path / "sub" / "index.html", '<a href="../index.html">up</a>')
    write(tmp_path / "s.css", "@font-face { src: url(fonts/f.woff2) } "
          "body { background: url('https://fonts.example/b.png') }")
    write(tmp_path / "pic.png", "")
    broken = linkcheck.broken_links(tmp_path)
    assert broken == ["index.html: a.html#nowhere (no id 'nowhere' in a.html)",
                      "index.html: gone.html (no such file)", "s.css: fonts/f.woff2 (no such file)"]
    assert linkcheck.outside_links(tmp_path) == ["index.html: <script src=https://cdn.example.org/x.js>",
                                                 "s.css: url(https://fonts.example/b.png)"]


# ---- the in-page network's weights ------------------------------------------------------------

def every_kind_network() -> modelfile.TrainedModel:
    """A small network with every layer the page runs, standardised inputs, a softmax output."""
    rng = np.random.default_rng(7)
    norm = BatchNorm(12, running_mean=rng.normal(size=12).astype(np.float32),
                     running_var=rng.uniform(0.5, 2, 12).astype(np.float32),
                     gamma=rng.uniform(0.5, 1.5, 12).astype(np.float32),
                     beta=rng.normal(size=12).astype(np.float32))
    model = Sequential([Dense(784, 12, rng=rng), norm, LeakyReLU(0.1), Dense(12, 10, rng=rng), Tanh(),
                        Dropout(0.3), Dense(10, 8, rng=rng), Sigmoid(), Dense(8, 6, rng=rng), ReLU(),
                        Dense(6, 5, rng=rng), Softmax(), Dense(5, 4, rng=rng)], output_activation="softmax")
    return modelfile.TrainedModel(model=model, normalization={"kind": "global", "mean": 0.13, "std": 0.31},
                                  class_names=["a", "b", "c", "d"])


def test_encode_and_decode_are_exact_in_float32_and_round_in_float16():
    values = np.array([[0.1, -2.5e-3], [65504.0, 1e-8]], dtype=np.float32)
    assert np.array_equal(decode(encode(values, "float32")), values)
    assert np.array_equal(decode(encode(values, "float16")), values.astype(np.float16).astype(np.float32))


@pytest.mark.parametrize("float16", [False, True])
def test_the_weights_file_reads_back_as_the_same_network(tmp_path, float16):
    trained = every_kind_network()
    path = write_web(trained, tmp_path / "net.js", float16=float16)
    assert path.read_text(encoding="utf-8").startswith("// barenet's network")
    again = read_web(path)
    x = np.random.default_rng(0).uniform(0, 1, (20, 784)).astype(np.float32)
    ours, theirs = trained.predict_proba(x), again.predict_proba(x)
    if float16:  # the weights rounded to 11 significant bits move the probabilities a little
        assert np.max(np.abs(ours - theirs)) < 1e-2
    else:  # BatchNorm is stored folded: the same map up to float32 rounding
        assert np.max(np.abs(ours - theirs)) < 1e-6
    assert again.class_names == ["a", "b", "c", "d"] and again.normalization == trained.normalization


def test_the_weights_json_names_the_layers_in_order():
    data = to_web(every_kind_network())
    assert [layer["type"] for layer in data["layers"]] == [
        "Dense", "BatchNorm", "LeakyReLU", "Dense", "Tanh", "Dropout", "Dense", "Sigmoid", "Dense",
        "ReLU", "Dense", "Softmax", "Dense"]
    assert data["layers"][0]["W"]["shape"] == [784, 12] and data["output_activation"] == "softmax"


def test_barenet_export_web_writes_the_file_and_keeps_an_existing_one(tmp_path, capsys):
    model = tmp_path / "model.safetensors"
    modelfile.save(model, every_kind_network())
    out = tmp_path / "net.js"
    assert main(["export", str(model), "--web", str(out), "--float16"]) == 0
    assert "float16" in capsys.readouterr().out
    assert read_web(out).model.describe() == every_kind_network().model.describe()
    before = out.read_bytes()
    assert main(["export", str(model), "--web", str(out)]) == 1
    assert "--overwrite" in capsys.readouterr().err and out.read_bytes() == before
    assert main(["export", str(model), "--web", str(tmp_path / "net.json"), "--overwrite"]) == 0
    assert json.loads((tmp_path / "net.json").read_text(encoding="utf-8"))["format"] == "barenet-web-network"


def test_barenet_export_needs_one_target(tmp_path, capsys):
    assert main(["export", str(tmp_path / "m.safetensors")]) == 2
    assert "--onnx" in capsys.readouterr().err


def test_the_build_fails_on_errors_missing_images_and_lost_pages_and_counts_other_warnings():
    import importlib.util

    spec = importlib.util.spec_from_file_location("site_build", ROOT / "docs" / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert build.is_problem("a.md:5: WARNING: image file not readable: x.png [image.not_readable]")
    assert build.is_problem("a.md: WARNING: document isn't included in any toctree [toc.not_included]")
    assert build.is_problem("Exception occurred:")
    assert not build.is_problem("a.md:1: WARNING: Document headings start at H2, not H1 [myst.header]")
    # an anchor written as raw HTML works but MyST cannot see it: the built site's check judges
    assert not build.is_problem("a.md:3: WARNING: local id not found in doc 'math': 's10' "
                                "[myst.xref_missing]")
    assert not build.is_problem("Building prefix dict from the default dictionary ...")


def test_an_unresolved_link_becomes_a_broken_link_of_the_built_site(tmp_path):
    """What MyST makes of a link it cannot resolve ("#target") is what the link check reports."""
    write(tmp_path / "page.html", '<a class="reference internal" href="#gone.md">gone</a>')
    assert linkcheck.broken_links(tmp_path) == ["page.html: #gone.md (no id 'gone.md' in page.html)"]
