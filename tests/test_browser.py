"""The site in a real headless Chromium at phone size, opened from file://, with screenshots."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import require_tool

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
SHOTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    require_tool(CHROMIUM)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_tool("playwright-python-package-missing")
        raise
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_phone(browser: object, url: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True)  # type: ignore[attr-defined]
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    return page, requests


@pytest.mark.parametrize(
    ("name", "path"),
    [("home", "index.html"), ("skill", "skills/shiitake-cultivation/index.html"), ("lesson", "skills/shiitake-cultivation/fruiting-and-harvest/index.html")],
)
def test_page_on_a_phone(browser: object, reference_site: Path, name: str, path: str) -> None:
    page, requests = open_phone(browser, (reference_site / path).as_uri())
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"phone-{name}.png"), full_page=False)
    # Nothing wider than the screen: no sideways scrolling on a 360 px phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # The stylesheet loaded from disk and applied: the header is the brand colour.
    assert page.evaluate("getComputedStyle(document.querySelector('.top')).backgroundColor") == "rgb(31, 107, 74)"
    # Body text is readable: at least 16 px.
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.prose p, .hero p')).fontSize)")
    assert size >= 16
    # Every link in the header is a large enough tap target.
    heights = page.evaluate("[...document.querySelectorAll('.nav a, .brand')].map(a => a.getBoundingClientRect().height)")
    assert min(heights) >= 44
    assert all(r.startswith("file://") for r in requests), requests
    page.context.close()


def test_navigation_works_from_file_urls(browser: object, reference_site: Path) -> None:
    page, _ = open_phone(browser, (reference_site / "index.html").as_uri())
    page.click("text=香菇栽培技术")
    assert page.url.endswith("skills/shiitake-cultivation/index.html")
    page.click(".pager .next")
    assert page.url.endswith("skills/shiitake-cultivation/site-and-substrate/index.html")
    assert page.locator("h1").inner_text() != ""
    page.click(".nav a:has-text('学习计划')")
    assert page.url.endswith("curriculum/index.html")
    page.click("text=平安助理")
    assert "%E5%B9%B3%E5%AE%89%E5%8A%A9%E7%90%86" in page.url or "平安助理" in page.url
    assert page.locator("h1").inner_text() == "平安助理的学习计划"
    broken = page.evaluate("[...document.images].filter(i => !i.complete || i.naturalWidth === 0).length")
    assert broken == 0
    page.context.close()
