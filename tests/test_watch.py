"""`cadre serve --watch` in Chromium: a save rebuilds and reloads; an error shows on the page."""

from __future__ import annotations

from typing import Any

from .conftest import MakeProject
from .liveserver import live_server
from .test_browser import SHOTS, browser, open_phone  # noqa: F401  (the browser fixture)


def test_save_rebuilds_and_reloads_and_errors_show_on_the_page(browser: Any, make_project: MakeProject) -> None:  # noqa: F811
    root = make_project()
    source = root / "content" / "skills" / "economy" / "alpha.md"
    with live_server(root, watch=True) as server:
        page, _ = open_phone(browser, f"{server.url}/skills/alpha/")
        assert page.locator("h2").first.inner_text() == "第一节"
        page.wait_for_timeout(300)  # the page's event stream is connected
        source.write_text(source.read_text("utf-8").replace("## 第一节", "## 改过的一节"), "utf-8")
        page.wait_for_function("document.querySelector('h2') && document.querySelector('h2').textContent === '改过的一节'",
                               timeout=20000)
        source.write_text("---\ntitle: 甲技能\ncategory: economy\nhours: 很多\n---\n正文\n", "utf-8")
        box = page.locator("#cadre-build-error")
        box.wait_for(timeout=20000)
        assert "content/skills/economy/alpha.md:4:8: error: 'hours' must be a whole number, not text" in box.inner_text()
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "watch-error.png"))
        # The last good site is still served.
        assert page.locator("h2").first.inner_text() == "改过的一节"
        source.write_text("---\ntitle: 甲技能\ncategory: economy\n---\n\n## 又改好了\n", "utf-8")
        page.wait_for_function("document.querySelector('h2') && document.querySelector('h2').textContent === '又改好了'",
                               timeout=20000)
        assert page.locator("#cadre-build-error").count() == 0
        page.context.close()
