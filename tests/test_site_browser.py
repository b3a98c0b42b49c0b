"""The built site in a real headless Chromium: offline, two languages, search, math, the network.

`python docs/build.py` runs once per session (the `site` fixture, into a temporary folder) and the
site is served by a local static server on 127.0.0.1, as any static host would serve it. Every
request the browser makes is recorded: one to any other host fails the test. Skipped when
Chromium, Playwright or the docs extra is missing locally, a failure under CI (CI=true).

Screenshots, to look at: /tmp/barenet-site-en.png, /tmp/barenet-site-zh.png (Chinese must show
as Chinese, not boxes), /tmp/barenet-site-demo.png (after drawing a digit).
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import json
import math
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest

from test_web_page import ARGS, CHROMIUM, DIGITS, unavailable

ROOT = Path(__file__).resolve().parents[1]
WEIGHTS = ROOT / "docs" / "site" / "static" / "network-weights.js"
SHOTS = {"en": Path("/tmp/barenet-site-en.png"), "zh": Path("/tmp/barenet-site-zh.png"),
         "demo": Path("/tmp/barenet-site-demo.png")}
BUILD_SECONDS = 180
SITE_MB = 60

pytestmark = pytest.mark.slow


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class StaticHost(http.server.ThreadingHTTPServer):
    """The built site on 127.0.0.1, as a static host serves it."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a page left before its file came
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """(folder, seconds, output) of one offline build of the site with docs/build.py."""
    for module in ("sphinx", "myst_nb", "sphinx_book_theme", "jieba"):
        if importlib.util.find_spec(module) is None:
            unavailable(f"{module} is not installed (pip install -e '.[docs]')")
    out = tmp_path_factory.mktemp("site-build")
    start = time.perf_counter()
    done = subprocess.run([sys.executable, str(ROOT / "docs" / "build.py"), "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    seconds = time.perf_counter() - start
    assert done.returncode == 0, f"docs/build.py failed:\n{done.stdout}\n{done.stderr}"
    return out / "html", seconds, done.stdout


@pytest.fixture(scope="session")
def base_url(site):
    html, _, _ = site
    handler = functools.partial(Quiet, directory=str(html))
    server = StaticHost(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")  # closed before test_web_page.py starts its own Playwright
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed (pip install playwright)")
    executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if executable is None:
        unavailable(f"Chromium is not installed (no {CHROMIUM}; apt-get install chromium fonts-noto-cjk)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=[*ARGS, "--headless", "--disable-quic"])
        yield browser
        browser.close()


class Watched:
    """A browser page that records console errors, failed requests and requests to other hosts."""

    def __init__(self, browser, base_url: str, locale: str = "en-US") -> None:
        self.context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.host = urlsplit(base_url).netloc
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", self.failed)
        self.page.on("response", lambda r: r.status >= 400 and self.errors.append(f"{r.status}: {r.url}"))
        self.page.on("request", self.note)

    def failed(self, request) -> None:
        # ERR_ABORTED: the browser dropped a request of the page it was leaving (its icon, say)
        if request.failure != "net::ERR_ABORTED":
            self.errors.append(f"failed ({request.failure}): {request.url}")

    def note(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.netloc != self.host:
            self.outside.append(request.url)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser, base_url):
    tab = Watched(browser, base_url)
    yield tab
    tab.close()


def site_pages(html: Path) -> list[str]:
    """Every page of the site, as a path below its root (the theme's _static fragments left out)."""
    return sorted(p.relative_to(html).as_posix() for p in html.rglob("*.html")
                  if "_static" not in p.relative_to(html).parts)


def test_the_build_is_fast_small_and_clean(site):
    html, seconds, output = site
    size = sum(p.stat().st_size for p in html.rglob("*") if p.is_file()) / 1e6
    print(f"\nbuild {seconds:.0f} s, site {size:.1f} MB\n{output}")
    assert (html / "index.html").is_file() and (html / "zh-CN" / "index.html").is_file()
    assert seconds <= BUILD_SECONDS, f"the build took {seconds:.0f} s (limit {BUILD_SECONDS})"
    assert size <= SITE_MB, f"the site is {size:.1f} MB (limit {SITE_MB})"


def test_every_page_has_its_counterpart_in_the_other_language(site):
    html, _, _ = site
    english = {p for p in site_pages(html) if not p.startswith("zh-CN/")}
    chinese = {p.removeprefix("zh-CN/") for p in site_pages(html) if p.startswith("zh-CN/")}
    assert english == chinese, f"without counterpart: {sorted(english ^ chinese)}"
    for chapter in range(1, 9):  # the eight chapters, in both languages
        assert any(p.startswith(f"tutorials/0{chapter}-") for p in english)
    for name in ("math", "glossary", "try-your-own-digit", "design", "ecosystem", "in-the-browser"):
        assert f"{name}.html" in english


def test_every_page_loads_offline_without_a_console_error(site, watched, base_url):
    html, _, _ = site
    problems = {}
    for path in site_pages(html):
        watched.errors.clear()
        watched.page.goto(base_url + path, wait_until="networkidle")
        if watched.errors:
            problems[path] = list(watched.errors)
    print(f"\n{len(site_pages(html))} pages, {len(watched.outside)} requests to other hosts")
    assert not watched.outside, f"requests to other hosts: {sorted(set(watched.outside))}"
    assert not problems, f"console errors or failed requests: {problems}"


def test_no_internal_link_is_broken(site):
    sys.path.insert(0, str(ROOT / "docs" / "site"))
    import linkcheck

    html, _, _ = site
    assert linkcheck.broken_links(html) == []
    assert linkcheck.outside_links(html) == []


def test_each_language_switch_reaches_the_same_page_in_the_other_language(site, watched, base_url):
    html, _, _ = site
    wrong = {}
    for path in site_pages(html):
        if path.endswith(("genindex.html", "search.html")):
            continue
        other = path.removeprefix("zh-CN/") if path.startswith("zh-CN/") else "zh-CN/" + path
        watched.page.goto(base_url + path, wait_until="domcontentloaded")
        switch = watched.page.locator("a.barenet-language-switch")
        if switch.count() != 1:
            wrong[path] = f"{switch.count()} switches"
            continue
        switch.click()
        watched.page.wait_for_load_state("domcontentloaded")
        reached = urlsplit(watched.page.url).path.lstrip("/")
        if reached != other:
            wrong[path] = reached
    assert not wrong, f"switches that lead elsewhere than the counterpart: {wrong}"


def test_math_is_rendered_by_the_local_mathjax(watched, base_url):
    for path in ("tutorials/02-losses.html", "zh-CN/tutorials/02-losses.html"):
        watched.page.goto(base_url + path, wait_until="networkidle")
        watched.page.wait_for_selector("mjx-container", timeout=20_000)
        assert watched.page.locator("mjx-container").count() > 10
        assert watched.page.locator("mjx-merror").count() == 0, "MathJax reports a TeX error"
    assert not watched.outside and not watched.errors, (watched.outside, watched.errors)


@pytest.mark.parametrize(("path", "query", "expected"), [
    ("search.html", "backpropagation", "tutorials/04-computational-graph-and-backprop.html"),
    ("zh-CN/search.html", "反向传播", "zh-CN/tutorials/04-computational-graph-and-backprop.html"),
    ("zh-CN/search.html", "交叉熵", "zh-CN/tutorials/02-losses.html"),
])
def test_search_finds_the_words_of_each_language(watched, base_url, path, query, expected):
    watched.page.goto(f"{base_url}{path}?q={query}", wait_until="networkidle")
    results = watched.page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=20_000)
    found = [urlsplit(href).path.lstrip("/") for href in
             results.evaluate_all("links => links.map(a => a.href)")]
    assert expected in found, f"{query!r} found {found}"
    assert all(p.startswith("zh-CN/") == path.startswith("zh-CN/") for p in found), found
    assert not watched.errors and not watched.outside


def test_chinese_pages_say_so_and_show_chinese_text(browser, base_url):
    tab = Watched(browser, base_url, locale="zh-CN")
    try:
        tab.page.goto(base_url + "zh-CN/tutorials/04-computational-graph-and-backprop.html",
                      wait_until="networkidle")
        assert tab.page.locator("html").get_attribute("lang") == "zh-CN"
        assert "反向传播" in tab.page.locator("main").inner_text()
        tab.page.screenshot(path=str(SHOTS["zh"]))
        tab.page.goto(base_url + "tutorials/04-computational-graph-and-backprop.html",
                      wait_until="networkidle")
        tab.page.screenshot(path=str(SHOTS["en"]))
        assert not tab.errors and not tab.outside
    finally:
        tab.close()


def draw(page, strokes) -> None:
    """Draw strokes (canvas-unit points) on the demo's pad with the mouse."""
    box = page.locator("#barenet-pad").bounding_box()
    for stroke in strokes:
        points = [(box["x"] + x * box["width"], box["y"] + y * box["height"]) for x, y in stroke]
        page.mouse.move(*points[0])
        page.mouse.down()
        for point in points[1:]:
            page.mouse.move(*point, steps=4)
        page.mouse.up()


@pytest.mark.parametrize("path", ["in-the-browser.html", "zh-CN/in-the-browser.html"])
def test_drawing_on_the_demo_page_gives_a_prediction_and_its_pictures(watched, base_url, path):
    page = watched.page
    page.goto(base_url + path, wait_until="networkidle")
    for digit in ("7", "0", "1"):
        page.click("#barenet-clear")
        draw(page, DIGITS[digit])
        page.wait_for_function("document.querySelector('#barenet-status').dataset.prediction")
        assert page.locator("#barenet-status").get_attribute("data-prediction") == digit
    # forward: the input and the five layers that change values; backward: the same + pixels
    assert page.locator("#barenet-forward figure").count() == 6
    assert page.locator("#barenet-backward figure").count() == 7
    page.locator("#barenet-bars li button").nth(3).click()  # the gradient of class 3 instead
    assert page.locator("#barenet-bars li.chosen .name").inner_text() == "3"
    if not path.startswith("zh-CN"):
        page.locator("#barenet-demo").screenshot(path=str(SHOTS["demo"]))
    assert not watched.errors and not watched.outside


def numpy_reference(trained, pixels: np.ndarray, classes: np.ndarray):
    """barenet's probabilities and, layer by layer, the backward pass of score c for each image.

    pixels: (N, 784) in [0, 1]. Returns (N, K) probabilities and, per image, the list of
    ∂s_c/∂(output of layer l) for every layer, then ∂s_c/∂pixel — barenet's own layers' backward.
    """
    from barenet.digits.recognize import class_probabilities

    model = trained.model
    x = trained.prepare(pixels)
    proba = class_probabilities(model.predict_proba(x))
    norm = trained.normalization
    std = np.asarray(norm["std"], dtype=np.float64) if norm else 1.0  # ∂x/∂pixel = 1/std
    grads = []
    for n, c in enumerate(classes):
        scores = model.forward(x[n : n + 1])  # (1, K), every layer keeps its activations
        g = np.zeros_like(scores)
        g[0, c] = 1.0
        per_layer = []
        for layer in reversed(model.layers):
            per_layer.append(g[0].astype(np.float64))
            g = layer.backward(g)
        grads.append([*reversed(per_layer), g[0].astype(np.float64) / std])
    return proba, grads


def relative(a: np.ndarray, b: np.ndarray) -> float:
    """max |a − b| / max |b| (0 when both are 0)."""
    scale = float(np.max(np.abs(b)))
    return float(np.max(np.abs(a - b))) / scale if scale > 0 else float(np.max(np.abs(a)))


def test_javascript_forward_and_backward_agree_with_numpy_on_100_test_images(watched, base_url, mnist):
    from barenet.web.weights import read_web

    trained = read_web(WEIGHTS)  # the page's weights, exactly as stored
    pixels = mnist.test_images[:100].reshape(100, -1).astype(np.float32) / 255.0
    page = watched.page
    page.goto(base_url + "in-the-browser.html", wait_until="networkidle")
    js = page.evaluate("""(images) => images.map((pixels) => {
        const { trace, cls, grads } = window.barenetDemo.run(pixels, null);
        return { p: Array.from(trace.probabilities), c: cls,
                 g: [...grads.layers.map((g) => Array.from(g)), Array.from(grads.pixels)] };
    })""", pixels.astype(np.float64).tolist())
    classes = np.array([r["c"] for r in js])
    proba, grads = numpy_reference(trained, pixels, classes)
    js_proba = np.array([r["p"] for r in js])
    worst_p = float(np.max(np.abs(js_proba - proba)))
    worst_g = max(relative(np.array(gj), gn) for r, g in zip(js, grads, strict=True)
                  for gj, gn in zip(r["g"], g, strict=True))
    print(f"\nJS vs NumPy on 100 test images: probabilities {worst_p:.2e}, gradients {worst_g:.2e}")
    assert np.array_equal(classes, proba.argmax(axis=1)), "the winners differ"
    assert worst_p <= 1e-5
    assert worst_g <= 1e-4
    assert math.isfinite(worst_g) and not watched.errors


def test_the_pages_weights_are_barenets_default_network_and_read_mnist(mnist):
    from barenet.web.weights import read_web

    data = json.loads(WEIGHTS.read_text(encoding="utf-8").split("=", 1)[1].strip().rstrip(";"))
    trained = read_web(WEIGHTS)
    assert trained.model.describe().startswith("784-512(relu)") and "-512(relu)" in trained.model.describe()
    assert data["about"]["dataset"] == "mnist"
    x = mnist.test_images.reshape(len(mnist.test_images), -1).astype(np.float32) / 255.0
    accuracy = float(np.mean(trained.model.predict(trained.prepare(x)) == mnist.test_labels))
    print(f"\nthe page's network (float16 weights): {accuracy:.2%} on MNIST's 10,000 test images")
    assert accuracy >= 0.98


def finite_difference_gradients(model, x: np.ndarray, c: int, eps: float = 1e-6) -> list[np.ndarray]:
    """∂s_c/∂(output of each layer) and ∂s_c/∂x, by float64 central differences of the forward.

    model: a float64 Sequential; x: (n_in,) its input. Each layer's output a is perturbed one unit
    at a time (all units in one batch) and the rest of the network run on it.
    """
    layers = model.layers
    inputs = [x[None, :]]
    for layer in layers:
        inputs.append(layer.forward(inputs[-1].copy()))
    grads = []
    for start in range(len(layers) + 1):  # start = 0: the input; start = l + 1: layer l's output
        a = inputs[start][0]
        steps = np.eye(len(a)) * eps
        batch = np.concatenate([a + steps, a - steps])  # (2n, n)
        for layer in layers[start:]:
            batch = layer.forward(batch)
        grads.append((batch[: len(a), c] - batch[len(a):, c]) / (2 * eps))
    return [*grads[1:], grads[0]]


def test_javascript_runs_every_layer_kind_as_the_math_says(watched, base_url):
    from barenet.nn import Sequential
    from barenet.web.weights import to_web
    from test_site import every_kind_network

    trained = every_kind_network()
    data = to_web(trained)  # float32: the page computes on these values
    model64 = Sequential.from_config(trained.model.to_config(), dtype=np.float64, parameters={
        name: value.astype(np.float64) for name, value in
        trained.model.named_parameters() + trained.model.named_buffers()})
    pixels = np.random.default_rng(3).uniform(0, 1, (5, 784))
    watched.page.goto(base_url + "in-the-browser.html", wait_until="networkidle")
    js = watched.page.evaluate("""([data, images]) => {
        const net = BarenetNetwork.load(data);
        return images.map((pixels) => {
            const trace = net.forward(pixels);
            const grads = net.backward(trace, trace.winner);
            return { p: Array.from(trace.probabilities), c: trace.winner,
                     g: [...grads.layers.map((g) => Array.from(g)), Array.from(grads.pixels)] };
        });
    }""", [data, pixels.tolist()])
    x = (pixels - 0.13) / 0.31
    proba = model64.predict_proba(x)
    assert np.max(np.abs(np.array([r["p"] for r in js]) - proba)) < 1e-6
    for n, result in enumerate(js):
        expected = finite_difference_gradients(model64, x[n], result["c"])
        expected[-1] = expected[-1] / 0.31  # ∂x/∂pixel = 1/std
        worst = max(relative(np.array(g), e) for g, e in zip(result["g"], expected, strict=True))
        assert worst < 1e-6, f"image {n}: JavaScript's gradients off by {worst:.1e} (relative)"
    assert not watched.errors
