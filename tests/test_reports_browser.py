"""The demo site's reports and service guide in headless Chromium, with screenshots to look at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import main

from .conftest import REPO
from .test_browser import SHOTS, browser, open_phone  # noqa: F401  (the browser fixture)


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "site"
    result = CliRunner().invoke(main, ["build", "--demo", "-q", "-p", str(REPO), "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("path", ["reports/index.html", "reports/coverage/index.html", "reports/items/index.html",
                                  "ledger/index.html", "guide/云溪乡/index.html"])
def test_demo_pages_on_a_phone(browser: Any, demo_site: Path, path: str) -> None:  # noqa: F811
    page, requests = open_phone(browser, (demo_site / path).as_uri())
    name = path.replace("/index.html", "").replace("/", "-").replace(".html", "")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"demo-{name}.png"), full_page=False)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert all(r.startswith("file://") for r in requests)
    if path.startswith("reports"):
        assert page.locator("svg.chart").count() >= 1
        assert page.locator(".demo-banner").count() == 1
    if path.startswith("guide"):
        from generator.project import load_project

        with_phone = [c for c in load_project(REPO).cadres if c.township == "云溪乡" and c.phone]
        assert page.locator("svg.qr").count() == len(with_phone)
        width = page.evaluate("document.querySelector('svg.qr').getBoundingClientRect().width")
        assert width >= 18 / 25.4 * 96  # at least 18 mm at the CSS 96 px/in
    page.context.close()
