"""The drawing page in a real headless Chromium (Playwright for Python, Debian's chromium).

Digits are drawn with mouse strokes along polylines; the page must show the model's answer, its
ten bars and the 28×28 input, and Clear must reset it; a browser that prefers Chinese gets the
page in Chinese, and the language switch turns it into English (and is remembered). Skipped when
Chromium or Playwright is missing locally, but a failure under CI (CI=true), so CI cannot skip it
silently. Screenshots after drawing are saved to /tmp/barenet-page.png (English, laptop),
/tmp/barenet-page-zh.png (Chinese, laptop) and /tmp/barenet-page-zh-phone.png (Chinese, phone).
"""

from __future__ import annotations

import math
import os
import re
import shutil
from pathlib import Path

import pytest

from web_fixtures import serving, web_model

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SCREENSHOT = Path("/tmp/barenet-page.png")
SCREENSHOT_ZH = Path("/tmp/barenet-page-zh.png")
SCREENSHOT_ZH_PHONE = Path("/tmp/barenet-page-zh-phone.png")

# Strokes in canvas units ((0, 0) top left, (1, 1) bottom right), shaped like MNIST's digits.
RING = [(0.5 + 0.22 * math.sin(2 * math.pi * t / 40), 0.5 - 0.32 * math.cos(2 * math.pi * t / 40))
        for t in range(42)]
DIGITS = {
    "1": [[(0.53, 0.16), (0.47, 0.84)]],
    "0": [RING],
    "7": [[(0.27, 0.2), (0.73, 0.2), (0.46, 0.84)]],
}

pytestmark = pytest.mark.slow


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(reason: str):
    """Skip locally; fail in CI, where the browser must be there."""
    if in_ci():
        pytest.fail(f"{reason}; CI must run the drawing page's browser test (.ci/run installs "
                    "chromium with apt-get and playwright with the test extras)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed (pip install playwright)")
    executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if executable is None:
        unavailable(f"Chromium is not installed (no {CHROMIUM}, no chromium on PATH; "
                    "apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page_url(tmp_path_factory):
    _, trained = web_model(tmp_path_factory)
    with serving(trained) as url:
        yield url


def draw(page, strokes) -> None:
    """Draw strokes (lists of canvas-unit points) with the mouse, as a person would."""
    box = page.locator("#pad").bounding_box()
    for stroke in strokes:
        points = [(box["x"] + u * box["width"], box["y"] + v * box["height"]) for u, v in stroke]
        page.mouse.move(*points[0])
        page.mouse.down()
        for x, y in points[1:]:
            page.mouse.move(x, y, steps=6)
        page.mouse.up()


def test_drawn_digits_are_recognised_and_clear_resets(browser, page_url):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1200, "height": 860})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_url)
    expect(page.locator("#model-name")).to_have_text("test.safetensors")
    expect(page.locator("#digit")).to_have_text("?")
    expect(page.locator("#bars li")).to_have_count(10)

    for digit, strokes in DIGITS.items():
        page.click("#clear")
        expect(page.locator("#digit")).to_have_text("?")
        draw(page, strokes)
        expect(page.locator("#digit")).to_have_text(digit, timeout=5000)
        expect(page.locator("#confidence")).to_contain_text("% sure")
        expect(page.locator("#bars li.win .label")).to_have_text(digit)
        # the 28×28 input is drawn: some of its pixels are bright
        bright = page.evaluate("""() => {
            const d = document.getElementById('seen').getContext('2d').getImageData(0, 0, 28, 28).data;
            let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] > 300) n++;
            return n; }""")
        assert bright > 20, digit
        if digit == "7":
            page.wait_for_timeout(300)  # let the bars finish growing
            page.screenshot(path=str(SCREENSHOT), full_page=True)

    # the saliency toggle redraws the input without the heat map: no coloured pixels left
    page.uncheck("#saliency")
    coloured = page.evaluate("""() => {
        const d = document.getElementById('seen').getContext('2d').getImageData(0, 0, 28, 28).data;
        let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] !== d[i + 2]) n++; return n; }""")
    assert coloured == 0
    page.check("#saliency")

    page.click("#clear")
    expect(page.locator("#digit")).to_have_text("?")
    expect(page.locator("#confidence")).to_have_text("Draw a digit")
    assert page.evaluate("""() => {
        const c = document.getElementById('pad');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 0; i < d.length; i += 4) if (d[i] > 0) return false; return true; }""")
    assert page.locator("#bars li.win").count() == 0

    # Escape clears as well
    draw(page, DIGITS["1"])
    expect(page.locator("#digit")).to_have_text("1", timeout=5000)
    page.keyboard.press("Escape")
    expect(page.locator("#digit")).to_have_text("?")

    assert errors == []
    assert all(url.startswith(page_url) for url in requests), requests  # nothing from the network
    page.close()


def test_the_page_fits_a_phone(browser, page_url):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page.goto(page_url)
    draw(page, DIGITS["7"])
    expect(page.locator("#digit")).to_have_text("7", timeout=5000)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390  # no sideways scrolling
    page.close()


def test_a_browser_that_prefers_chinese_gets_the_page_in_chinese_and_can_switch(browser, page_url):
    from playwright.sync_api import expect

    context = browser.new_context(locale="zh-CN", viewport={"width": 1200, "height": 860})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_url)
    assert page.evaluate("() => navigator.language") == "zh-CN"
    expect(page).to_have_title("barenet · 手写数字识别")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("h1")).to_have_text("写一个数字")
    expect(page.locator("#clear")).to_have_text("清除")
    expect(page.locator("#confidence")).to_have_text("请写一个数字")
    expect(page.locator("#bars-title")).to_have_text("每个数字的概率（%）")
    expect(page.locator(".lang button[data-lang='zh']")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#model-name")).to_have_text("test.safetensors")

    draw(page, DIGITS["7"])
    expect(page.locator("#digit")).to_have_text("7", timeout=5000)
    expect(page.locator("#confidence")).to_have_text(re.compile(r"^有 (\d+(\.\d)?|<0\.1)% 的把握$"))
    expect(page.locator("#runner-up")).to_have_text(re.compile(r"^其次：\d（.+%）、\d（.+%）$"))
    page.wait_for_timeout(300)  # let the bars finish growing
    page.screenshot(path=str(SCREENSHOT_ZH), full_page=True)

    # the switch says the same answer in English at once, without drawing again
    page.click(".lang button[data-lang='en']")
    expect(page).to_have_title("barenet · draw a digit")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Draw a digit")
    expect(page.locator("#clear")).to_have_text("Clear")
    expect(page.locator("#digit")).to_have_text("7")
    expect(page.locator("#confidence")).to_contain_text("% sure")
    expect(page.locator("#runner-up")).to_contain_text("next: ")
    expect(page.locator(".lang button[data-lang='en']")).to_have_attribute("aria-pressed", "true")
    page.click("#clear")
    expect(page.locator("#confidence")).to_have_text("Draw a digit")

    # the choice is remembered over a reload, although the browser still prefers Chinese
    page.reload()
    expect(page.locator("h1")).to_have_text("Draw a digit")
    page.click(".lang button[data-lang='zh']")
    expect(page.locator("#clear")).to_have_text("清除")
    expect(page.locator("#confidence")).to_have_text("请写一个数字")
    # the server's notes (English) are said in Chinese: a stroke from the top edge to the bottom
    draw(page, [[(0.5, 0.0), (0.5, 1.0)]])
    expect(page.locator("#notes")).to_have_text("数字碰到了图像边缘，可能有一部分被截掉了：四周请留些空白。",
                                                timeout=5000)
    assert errors == []
    context.close()

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, has_touch=True,
                                is_mobile=True)
    page = phone.new_page()
    page.goto(page_url)
    draw(page, DIGITS["0"])
    expect(page.locator("#digit")).to_have_text("0", timeout=5000)
    expect(page.locator("#confidence")).to_contain_text("的把握")
    page.wait_for_timeout(300)
    page.screenshot(path=str(SCREENSHOT_ZH_PHONE), full_page=True)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    phone.close()
