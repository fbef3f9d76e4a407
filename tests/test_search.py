"""Chinese search: the index in Python, the query in headless Chromium from file://."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from generator.render.search import SearchDoc, build_index, shard_of, terms
from generator.render.site import build_site

from .conftest import MakeProject
from .test_browser import browser, open_phone  # noqa: F401  (the browser fixture)

SEARCH_PROJECT: dict[str, str | bytes | None] = {
    "content/skills/stability/mediation.md": "---\ntitle: 矛盾纠纷调解\ncategory: stability\n---\n\n## 受理\n\n调解要先受理。\n",
    "content/skills/stability/survey.md": "---\ntitle: 入户调查\ncategory: stability\n---\n\n## 了解情况\n\n调查之前先了解村情,纠纷要及时调解。\n",
    "content/skills/economy/alpha.md": "---\ntitle: 甲技能\ncategory: economy\n---\n\n## 第一节\n\n先调查,再了解。森林火警电话 12119。Rural E-commerce 入门。\n",
}


def test_terms_are_bigrams_and_words() -> None:
    assert terms("矛盾纠纷 AB角 12119") == {"矛盾": 1, "盾纠": 1, "纠纷": 1, "ab": 1, "12119": 1}
    assert terms("ＡＢ") == {"ab": 1}  # full width folds to half width


def test_shard_of_is_stable() -> None:
    # tests/js/search.test.mjs checks search.mjs computes the same shards as this function.
    assert shard_of("调解", 1) == 0
    assert shard_of("调解", 97) == shard_of("调解", 97) and 0 <= shard_of("香菇", 97) < 97


def test_index_files_are_scripts() -> None:
    files, _ = build_index([SearchDoc("skills/a/", "甲", "调解"), SearchDoc("skills/b/", "乙", "香菇")])
    assert files["search/index/meta.js"] == b'cadreSearch.meta({"docs":2,"shards":1});\n'
    assert set(files) == {"search/index/meta.js", "search/index/s0.js", "search/index/d0.js", "search/index/d1.js"}


def test_patched_index_equals_a_fresh_one(tmp_path: Path) -> None:
    """Re-indexing only the changed documents gives the same files as indexing everything again."""
    words = ["调解纠纷", "香菇种植", "防汛转移", "低保申请", "医保缴费", "垃圾分类", "森林防火", "Excel 表格"]
    docs = [SearchDoc(f"skills/s{i}/", f"技能{i} {words[i % 8]}", " ".join(words[(i * 3 + k) % 8] for k in range(5)))
            for i in range(40)]
    first, index = build_index(docs)
    for name, data in first.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data or b"")
    edited = list(docs)
    edited[3] = SearchDoc("skills/s3/", "技能3 新标题", "全新的正文 调解 only")
    edited[17] = SearchDoc("skills/s17/", docs[17].title, docs[17].text + " 森林防火 加一句")
    patched, _ = build_index(edited, index, tmp_path)
    fresh, _ = build_index(edited)
    assert set(patched) == set(fresh)
    written = {path for path, data in patched.items() if data is not None}
    assert written and len(written) < len(fresh) / 2
    for path, data in patched.items():
        assert (data if data is not None else first[path]) == fresh[path], path
    again, _ = build_index(edited, build_index(edited)[1], tmp_path)
    assert all(data is None for data in again.values())


def results(browser: Any, site: Path, query: str) -> list[str]:  # noqa: F811
    page, requests = open_phone(browser, (site / "search" / "index.html").as_uri() + "?q=" + quote(query))
    page.wait_for_selector("#search-results ol, #search-results p:not(:empty)")
    page.wait_for_function("!document.querySelector('#search-results').textContent.includes('正在查找')")
    hrefs = page.locator("#search-results ol a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
    assert all(r.startswith("file://") for r in requests)
    page.context.close()
    return [h.removeprefix("../").removesuffix("index.html") for h in hrefs]


def test_search_in_the_browser(browser: Any, make_project: MakeProject) -> None:  # noqa: F811
    root = make_project(SEARCH_PROJECT)
    build_site(root)
    site = root / "site"
    # 调解 is found where it is written together, never where 调 and 解 are apart (调查…了解).
    assert results(browser, site, "调解") == ["skills/mediation/", "skills/survey/"]
    # A title match ranks first; any run of two or more characters is found, not only whole words.
    assert results(browser, site, "纠纷") == ["skills/mediation/", "skills/survey/"]
    assert results(browser, site, "纷调") == ["skills/mediation/"]
    assert results(browser, site, "了解") == ["skills/survey/", "skills/alpha/"]
    # Latin text by words, case folded; numbers too.
    assert results(browser, site, "e-commerce") == ["skills/alpha/"]
    assert results(browser, site, "ＲＵＲＡＬ") == ["skills/alpha/"]
    assert results(browser, site, "12119") == ["skills/alpha/"]
    assert results(browser, site, "香菇") == []


def test_results_show_highlighted_snippets(browser: Any, make_project: MakeProject) -> None:  # noqa: F811
    root = make_project(SEARCH_PROJECT)
    build_site(root)
    page, _ = open_phone(browser, (root / "site" / "search" / "index.html").as_uri() + "?q=" + quote("及时调解"))
    page.wait_for_selector("#search-results ol li")
    assert page.locator("#search-results .snippet mark").first.inner_text() == "及时调解"
    page.fill("input[name=q]", "单")
    page.click("#search-form button")
    assert "至少两个汉字" in page.locator("#search-results").inner_text()
    page.context.close()


@pytest.mark.parametrize(("query", "expected"), [
    ("调解", "skills/dispute-mediation/"),
    ("香菇", "skills/shiitake-cultivation/"),
    ("接种", "skills/shiitake-cultivation/"),
    ("12119", "skills/forest-fire-prevention/"),
    ("低保", "skills/social-assistance/"),
    ("一芽一叶", "skills/tea-garden-management/"),
    ("走访台账", "skills/household-visits/"),
])
def test_reference_queries(browser: Any, reference_site: Path, query: str, expected: str) -> None:  # noqa: F811
    found = results(browser, reference_site, query)
    assert expected in found[:3], found[:5]
