"""Chinese search: the index in Python, the query in headless Chromium from file://."""

from __future__ import annotations

import json
import re
import unicodedata
from array import array
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render import search
from generator.render.search import SearchDoc, build_index, doc_postings, shard_count, shard_of, shard_table, terms
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


def write_files(files: dict[str, bytes | None], folder: Path) -> None:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data or b"")


@pytest.mark.parametrize("told", ["nothing", "the old texts", "wrong old texts"])
def test_patched_index_equals_a_fresh_one(tmp_path: Path, told: str) -> None:
    """Re-indexing only the changed documents gives the same files as indexing everything again,
    whether the patch is told the texts indexed last time (then only differing terms are touched),
    is not, or is told texts that are not those (their digest is checked: the slow way is taken)."""
    words = ["调解纠纷", "香菇种植", "防汛转移", "低保申请", "医保缴费", "垃圾分类", "森林防火", "Excel 表格"]
    docs = [SearchDoc(f"skills/s{i}/", f"技能{i} {words[i % 8]}", " ".join(words[(i * 3 + k) % 8] for k in range(5)))
            for i in range(40)]
    first, index = build_index(docs)
    write_files(first, tmp_path)
    edited = list(docs)
    edited[3] = SearchDoc("skills/s3/", "技能3 新标题", "全新的正文 调解 only")
    edited[17] = SearchDoc("skills/s17/", docs[17].title, docs[17].text + " 森林防火 加一句")
    before = {3: docs[3].body(), 17: docs[17].body()} if told == "the old texts" else None
    if told == "wrong old texts":
        before = {3: "别的", 17: docs[17].body() + "改过"}
    patched, _ = build_index(edited, index, tmp_path, previous_texts=before)
    fresh, _ = build_index(edited)
    assert set(patched) == set(fresh)
    written = {path for path, data in patched.items() if data is not None}
    assert written and len(written) < len(fresh) / 2
    for path, data in patched.items():
        assert (data if data is not None else first[path]) == fresh[path], path
    again, _ = build_index(edited, build_index(edited)[1], tmp_path)
    assert all(data is None for data in again.values())


# ---------------------------------------------------------------- the index against a plain reference
# The index is built with tricks (regexes counted in C, numpy over whole chunks, JSON written by hand);
# these reference functions say the same thing the plain way, and the tests hold the tricks to them.


def reference_terms(text: str) -> Counter[str]:
    text = unicodedata.normalize("NFKC", text).lower()
    found: Counter[str] = Counter()
    for run in re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+", text):
        found.update(run[i : i + 2] for i in range(len(run) - 1))
    found.update(w for w in re.findall(r"[a-z0-9]+", text) if len(w) > 1 or w.isdigit())
    return found


def reference_postings(doc_id: int, title: str, text: str) -> dict[str, str]:
    in_title = reference_terms(title)
    found = reference_terms(title + "\n" + text)
    return {term: f"{doc_id:x}.{count}{'t' if term in in_title else ''}" for term, count in found.items()}


def script(name: str, *args: object) -> bytes:
    body = ",".join(json.dumps(a, ensure_ascii=False, separators=(",", ":"), sort_keys=True) for a in args)
    return f"cadreSearch.{name}({body});\n".encode()


def reference_index(docs: list[SearchDoc]) -> tuple[dict[str, bytes], list[bytes]]:
    """Every file of a full index, and the shards each document is in, one document and term at a time."""
    n = shard_count(len(docs))
    shards: list[dict[str, str]] = [{} for _ in range(n)]
    doc_shards = []
    for doc_id, doc in enumerate(docs):
        mine = set()
        for term, posting in reference_postings(doc_id, doc.title, doc.body()).items():
            k = shard_of(term, n)
            mine.add(k)
            shards[k][term] = f"{shards[k][term]},{posting}" if term in shards[k] else posting
        doc_shards.append(array("H", sorted(mine)).tobytes())
    files = {"search/index/meta.js": script("meta", {"shards": n, "docs": len(docs)})}
    files.update({f"search/index/s{k}.js": script("shard", k, part) for k, part in enumerate(shards)})
    files.update({f"search/index/d{i:x}.js": script("doc", i, [d.url, d.title, d.body()[:30_000]]) for i, d in enumerate(docs)})
    return files, doc_shards


# Characters where the rules have edges: the ends of the three Chinese ranges and their neighbours,
# compatibility ideographs (NFKC turns them into unified ones), full-width letters and digits,
# characters NFKC expands (ﬁ, ①, Ⅻ, ㍿ into four Chinese characters, ²), İ (lower case adds a
# combining dot), a character beyond the BMP, a Chinese one beyond it, line breaks and punctuation.
EDGES = ("\u33ff\u3400\u4dbf\u4dc0\u4dff\u4e00\u9fff\ua000\uf8ff\uf900\ufaff\ufb00\uf91f"
         "ＡｂＺ０９ﬁ①Ⅻ㍿²İ\U0001f600\U00020000\n\u3000 ,.-，。、\"\\\t")
CHARS = st.one_of(st.sampled_from(EDGES), st.sampled_from("调解纠纷香菇种植防汛低保医保调查了解"),
                  st.sampled_from("abcXYZ0123456789"), st.characters(codec="utf-8"))
TEXT = st.text(CHARS, max_size=40)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_terms_match_the_reference(text: str) -> None:
    assert terms(text) == reference_terms(text)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 5000), TEXT, TEXT)
def test_doc_postings_match_the_reference(doc_id: int, title: str, text: str) -> None:
    assert doc_postings(doc_id, title, text) == reference_postings(doc_id, title, text)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT), max_size=14))
def test_full_index_matches_the_reference(pages: list[tuple[str, str]]) -> None:
    docs = [SearchDoc(f"skills/s{i}/", title, text) for i, (title, text) in enumerate(pages)]
    files, index = build_index(docs)
    expected, doc_shards = reference_index(docs)
    assert files == expected
    assert index.shards == doc_shards


def test_full_index_on_every_core_matches_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pool's workers (forked, one chunk each) give the same files as indexing in one process."""
    monkeypatch.setattr(search, "PARALLEL_DOCS", 2)
    words = ["调解纠纷", "香菇种植", "防汛转移", "Excel 表格", "ＡＢＣ 12119", "㍿", "①号"]
    docs = [SearchDoc(f"skills/s{i}/", f"技能{i} {words[i % 7]}", " ".join(words[(i * k) % 7] for k in range(i % 9)))
            for i in range(45)]
    files, index = build_index(docs)
    expected, doc_shards = reference_index(docs)
    assert files == expected
    assert index.shards == doc_shards


def test_full_index_with_counts_of_every_size() -> None:
    """Terms written thousands of times, and many different counts in one chunk, keep their counts."""
    docs = [SearchDoc(f"skills/s{i}/", f"技能{i}", "调解" * (i * 997) + " excel" * (i * i) + "".join(f" w{j}" * j for j in range(i)))
            for i in range(12)]
    files, index = build_index(docs)
    expected, doc_shards = reference_index(docs)
    assert files == expected
    assert index.shards == doc_shards


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.one_of(st.text(st.sampled_from("调解纠纷香菇\u3400\ufaff"), min_size=2, max_size=2),
                                 st.text(st.sampled_from("ab09z"), min_size=1, max_size=6)),
                       st.lists(st.tuples(st.integers(0, 99999), st.integers(1, 999), st.booleans()), min_size=1, max_size=4)
                       .map(lambda ps: ",".join(f"{d:x}.{c}{'t' if t else ''}" for d, c, t in ps))),
       st.integers(0, 3000))
def test_shard_files_are_the_json_of_their_terms(part: dict[str, str], k: int) -> None:
    assert search._shard_file(k, part) == script("shard", k, part)


def test_shard_table_remembers_shard_of() -> None:
    table = shard_table(97)
    assert [table[t] for t in ("调解", "香菇", "e", "12119", "调解")] == [shard_of(t, 97) for t in ("调解", "香菇", "e", "12119", "调解")]
    assert shard_table(97) is table and shard_table(13) is not table and shard_table(13)["调解"] == shard_of("调解", 13)


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


def test_a_patch_told_the_old_text_rewrites_only_shards_whose_postings_changed(tmp_path: Path) -> None:
    body = "".join(f"第{i}段讲调解纠纷、香菇种植、防汛转移和低保申请的做法。" for i in range(60))
    docs = [SearchDoc(f"skills/s{i}/", f"技能{i}", body + f"编号{i}") for i in range(60)]
    first, index = build_index(docs)
    write_files(first, tmp_path)
    edited = list(docs)
    edited[5] = SearchDoc("skills/s5/", "技能5", docs[5].body() + "新加一句森林防火。")

    def shards_written(previous_texts: dict[int, str] | None) -> set[str]:
        files, _ = build_index(edited, index, tmp_path, previous_texts=previous_texts)
        return {p for p, data in files.items() if data is not None and "/s" in p}

    slow, quick = shards_written(None), shards_written({5: docs[5].body()})
    assert quick and quick < slow
    assert len(quick) <= 12  # the new sentence's few bigrams, and counts that changed
