"""Raw HTML in trainer Markdown is sanitised by default; cadre-typed names and answers are escaped."""

from __future__ import annotations

from generator.render.site import build_site

from .conftest import MakeProject

NASTY = """---
title: 甲技能
category: economy
---

## 第一节

<script>alert("x")</script>
<img src="a.png" onerror="alert(1)" alt="图">
<a href="javascript:alert(1)">点我</a> <a href="https://example.org/" onclick="x()">外链</a>
<iframe src="https://example.org/"></iframe><style>body{display:none}</style>
<p class="tip" style="color:red">提示</p>

- [x] 已完成
"""


def test_raw_html_is_sanitised_by_default(make_project: MakeProject) -> None:
    root = make_project({"content/skills/economy/alpha.md": NASTY, "content/skills/economy/a.png": b"\x89PNG"})
    build_site(root)
    page = (root / "site/skills/alpha/index.html").read_text("utf-8")
    body = page.split('<div class="prose">', 1)[1].split("</article>", 1)[0]
    for bad in ("<script", "onerror", "javascript:", "onclick", "<iframe", "<style", 'style="'):
        assert bad not in body, bad
    assert '<a href="https://example.org/">外链</a>' in body
    assert '<p class="tip">提示</p>' in body
    assert 'type="checkbox"' in body and 'id="第一节"' in body


def test_unsafe_html_opt_in_keeps_raw_html(make_project: MakeProject) -> None:
    root = make_project({"content/site.yaml": "title: 站点\nunsafe_html: true\n", "content/skills/economy/alpha.md": NASTY,
                         "content/skills/economy/a.png": b"\x89PNG"})
    build_site(root)
    assert '<script>alert("x")</script>' in (root / "site/skills/alpha/index.html").read_text("utf-8")


def test_roster_names_are_escaped(make_project: MakeProject) -> None:
    roster = "- {id: c1, name: '<b>林</b><script>x()</script>', township: 甲乡, post: 干事, duties: '<i>值班</i>', phone: '100'}\n"
    root = make_project({"content/cadres.yaml": roster})
    build_site(root)
    guide = next((root / "site" / "guide").rglob("index.html")).read_text("utf-8")
    assert "<script>x()</script>" not in guide and "&lt;script&gt;x()&lt;/script&gt;" in guide
    assert "&lt;i&gt;值班&lt;/i&gt;" in guide


def test_links_and_pictures_in_raw_html_are_checked_and_rewritten(make_project: MakeProject) -> None:
    import pytest

    from generator.errors import ProjectError

    page = ("---\ntitle: 甲技能\ncategory: economy\n---\n\n<p><img src=\"pics/a.png\" alt=\"图\"> "
            "<a href=\"../stability/beta.md#第一节\">乙</a></p>\n")
    root = make_project({"content/skills/economy/alpha.md": page, "content/skills/economy/pics/a.png": b"\x89PNG",
                         "content/skills/stability/beta.md": "---\ntitle: 乙\ncategory: stability\n---\n\n## 第一节\n"})
    build_site(root)
    html = (root / "site/skills/alpha/index.html").read_text("utf-8")
    assert 'src="../../assets/skills/economy/pics/a.png"' in html
    assert (root / "site/assets/skills/economy/pics/a.png").is_file()
    assert 'href="../beta/index.html#第一节"' in html or 'href="../beta/index.html#%E7%AC%AC%E4%B8%80%E8%8A%82"' in html
    bad = "---\ntitle: 甲技能\ncategory: economy\n---\n\nx\n\n<img src=\"../../../../etc/passwd\">\n<a href=\"nope.md\">x</a>\n"
    root = make_project({"content/skills/economy/alpha.md": bad})
    with pytest.raises(ProjectError) as caught:
        build_site(root)
    lines = [str(d) for d in caught.value.diagnostics]
    assert "content/skills/economy/alpha.md:8:11: error: image '../../../../etc/passwd' points outside the content folder" in lines
    assert any(line.startswith("content/skills/economy/alpha.md:9:10: error: broken link: 'nope.md'") for line in lines), lines
