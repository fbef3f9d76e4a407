"""Markdown for Chinese training material: bold by punctuation, line joins, anchors, links."""

from __future__ import annotations

from pathlib import Path

from generator.errors import Diagnostics
from generator.markdown import Links, MarkdownRenderer, Rendered
from generator.urls import href


def render(text: str, tmp_path: Path | None = None) -> Rendered:
    root = tmp_path or Path("/nonexistent")
    renderer = MarkdownRenderer(Links(root, {}), Diagnostics(root))
    return renderer.render(text, root / "x.md", "skills/x/")


def test_bold_next_to_chinese_punctuation() -> None:
    html = render("**不采雨水叶、**不采病虫叶").html
    assert html == "<p><strong>不采雨水叶、</strong>不采病虫叶</p>"


def test_line_break_between_chinese_characters_disappears() -> None:
    html = render("第一行文字\n接着第二行,\n第三行“引号”\n(括号)结束").html
    assert html == "<p>第一行文字接着第二行,第三行“引号”(括号)结束</p>"


def test_line_break_around_latin_text_stays_a_space() -> None:
    html = render("每户联系\n60 至 70 户\nEnglish words\n中文").html
    assert html == "<p>每户联系\n60 至 70 户\nEnglish words\n中文</p>"


def test_line_break_joined_across_inline_elements() -> None:
    assert render("先看*重点*\n再看**难点**\n最后").html == "<p>先看<em>重点</em>再看<strong>难点</strong>最后</p>"


def test_code_blocks_keep_their_line_breaks() -> None:
    html = render("```\n第一行\n第二行\n```").html
    assert "第一行\n第二行" in html


def test_list_item_continuation_is_joined() -> None:
    assert "<li>列表一续行中文</li>" in render("- 列表一\n  续行中文\n").html


def test_heading_anchor_keeps_chinese() -> None:
    doc = render("## 走访前的准备\n\n### 第二步: 登记 Visit\n")
    assert '<h2 id="走访前的准备">走访前的准备</h2>' in doc.html
    assert [h.id for h in doc.headings] == ["走访前的准备", "第二步-登记-visit"]


def test_tables_admonitions_footnotes_and_checklists() -> None:
    doc = render(
        "| 项目 | 标准 |\n|---|---|\n| 温度 | 15–25℃ |\n\n"
        '!!! warning "注意"\n    雨天不采。\n\n'
        "见脚注[^1]。\n\n[^1]: 依据。\n\n"
        "- [ ] 检查台账\n- [x] 入户\n"
    )
    assert "<table>" in doc.html and "<td>15–25℃</td>" in doc.html
    assert '<div class="admonition warning">' in doc.html and '<p class="admonition-title">注意</p>' in doc.html
    assert 'class="footnote"' in doc.html and 'href="#fn:1"' in doc.html
    assert 'type="checkbox"' in doc.html


def test_links_between_sources_become_links_between_pages(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.md").write_text("x")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.md").write_text("## 第二节\n")
    (tmp_path / "a" / "pic.svg").write_text("<svg/>")
    pages = {tmp_path / "a" / "one.md": "skills/one/", tmp_path / "b" / "two.md": "guides/two/"}
    links = Links(tmp_path, pages, {tmp_path / "a": "skills/one/"})
    diags = Diagnostics(tmp_path)
    doc = MarkdownRenderer(links, diags).render(
        "[乙](../b/two.md#第二节) ![图](pic.svg) [外](https://example.org/)", tmp_path / "a" / "one.md", "skills/one/"
    )
    assert diags.items == []
    assert 'href="../../guides/two/index.html#第二节"' in doc.html
    assert 'src="pic.svg"' in doc.html
    assert 'href="https://example.org/"' in doc.html
    assert links.assets == {tmp_path / "a" / "pic.svg": "skills/one/pic.svg"}


def test_href_is_relative_and_names_index_html() -> None:
    assert href("", "") == "index.html"
    assert href("", "skills/a/") == "skills/a/index.html"
    assert href("skills/a/", "") == "../../index.html"
    assert href("skills/a/lesson/", "skills/a/") == "../index.html"
    assert href("skills/a/", "assets/style.css") == "../../assets/style.css"
    assert href("404.html", "curriculum/") == "curriculum/index.html"
    assert href("curriculum/", "curriculum/平安助理/") == "%E5%B9%B3%E5%AE%89%E5%8A%A9%E7%90%86/index.html"


def test_tables_scroll_in_their_own_box_and_pictures_open_full_size() -> None:
    html = render("| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n\n![图](https://example.org/a.svg)\n").html
    assert html.startswith('<div class="table-wrap"><table>')
    assert '<a class="figure" href="https://example.org/a.svg"><img alt="图" loading="lazy" src="https://example.org/a.svg"></a>' in html


def test_fast_inline_path_renders_exactly_as_python_markdown() -> None:
    """Text without any inline marker skips Python-Markdown's inline patterns: the HTML must not change."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    import generator.markdown as md_module
    from generator.errors import Diagnostics
    from generator.markdown import Links, MarkdownRenderer

    root = Path("/nonexistent/content")
    fast = MarkdownRenderer(Links(root, {}), Diagnostics(root))
    real = md_module._fast_inline
    md_module._fast_inline = lambda md: None
    try:
        plain = MarkdownRenderer(Links(root, {}), Diagnostics(root))
    finally:
        md_module._fast_inline = real
    assert type(fast.md.treeprocessors["inline"]).__name__ == "_FastInline"
    alphabet = st.sampled_from([*list("调解纠纷要公道 \n\n*_`[]()!<>&#|-:1a\\"), "  \n", "**", "| a | b |\n|---|---|\n| 中 | 文 |\n"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(alphabet, max_size=60).map("".join))
    def same(text: str) -> None:
        source = root / "skills/x.md"
        assert fast.render(text, source, "skills/x/").html == plain.render(text, source, "skills/x/").html

    same()
