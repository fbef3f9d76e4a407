"""render_markdown(text, source) -> html, with links between sources turned into links between pages.

Python-Markdown with the extensions trainers need (tables, admonitions, footnotes, a table of
contents, attribute lists, checklists). Two things are added for Chinese text: heading anchors keep
Chinese characters, and a source line break between two Chinese characters disappears instead of
becoming a space.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import InlineProcessor, Treeprocessor
from markdown.util import AtomicString

from .errors import Diagnostics
from .sanitize import clean
from .urls import href
from .yamlloc import Pos

# Chinese characters, CJK and full-width punctuation, and the general punctuation Chinese text
# uses (curly quotes, dashes, ellipsis).
_CJK = (
    r"\u2010-\u206f\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3200-\u33ff"
    r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
)
# A line break is dropped when it falls between Chinese text on both sides; Chinese text often
# uses half-width punctuation (,;:) too, so "中文," before a break still counts as Chinese.
_BEFORE = rf"(?:(?<=[{_CJK}])|(?<=[{_CJK}][,.;:!?)\]]))"
_AFTER = rf"(?=[{_CJK}]|\((?=[{_CJK}]))"
_CJK_BREAK = re.compile(rf"{_BEFORE}[ \t]*\r?\n[ \t]*{_AFTER}")
_ENDS_CJK_BREAK = re.compile(rf"{_BEFORE}[ \t]*\r?\n[ \t]*$")
_STARTS_CJK = re.compile(rf"^{_AFTER}")
_LEADING_CJK_BREAK = re.compile(rf"^[ \t]*\r?\n[ \t]*{_AFTER}")
_ENDS_CJK = re.compile(rf"(?:[{_CJK}]|[{_CJK}][,.;:!?)\]])$")
_SKIP_TAGS = {"pre", "code", "script", "style"}


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    title: str


@dataclass(frozen=True)
class Rendered:
    """One Markdown source rendered: the HTML, its headings and every element id it defines."""

    html: str
    headings: tuple[Heading, ...]
    ids: frozenset[str]
    text: str


@dataclass(frozen=True)
class AnchorRef:
    source: Path
    pos: Pos
    target: Path
    anchor: str


@dataclass
class Links:
    """What links may point to, and what they were found pointing to while rendering."""

    content: Path
    pages: dict[Path, str]
    bundles: dict[Path, str] = field(default_factory=dict)
    assets: dict[Path, str] = field(default_factory=dict)
    anchors: list[AnchorRef] = field(default_factory=list)

    def asset_url(self, path: Path) -> str:
        """Return the site path an asset file is copied to."""
        if path not in self.assets:
            for bundle, url in self.bundles.items():
                if path.is_relative_to(bundle):
                    self.assets[path] = url + path.relative_to(bundle).as_posix()
                    break
            else:
                self.assets[path] = "assets/" + path.relative_to(self.content).as_posix()
        return self.assets[path]


class _Document(Treeprocessor):  # type: ignore[misc]
    """Rewrites links, joins Chinese line breaks and records headings and ids."""

    def __init__(self, md: markdown.Markdown, owner: MarkdownRenderer) -> None:
        super().__init__(md)
        self.owner = owner

    def run(self, root: ET.Element) -> None:
        o = self.owner
        for el in root.iter():
            if el.tag in _SKIP_TAGS:
                continue
            if el.text and not isinstance(el.text, AtomicString):
                el.text = _CJK_BREAK.sub("", el.text)
            for child in list(el):
                if child.tail and not isinstance(child.tail, AtomicString):
                    child.tail = _CJK_BREAK.sub("", child.tail)
            _join_across(el)
            if el.tag == "a" and el.get("href"):
                el.set("href", o.rewrite(el.get("href", ""), "link"))
            elif el.tag == "img" and el.get("src"):
                el.set("src", o.rewrite(el.get("src", ""), "image"))
                if not el.get("loading"):
                    el.set("loading", "lazy")
            if el.get("id"):
                o.ids.add(el.get("id", ""))
            if el.tag in ("h2", "h3", "h4") and el.get("id"):
                o.headings.append(Heading(int(el.tag[1]), el.get("id", ""), "".join(el.itertext()).strip()))
        _wrap_tables(root)
        # Raw HTML a trainer wrote is kept aside by the parser; its links and pictures are checked
        # and rewritten like Markdown ones (an <img src="../../etc/passwd"> is an error too).
        stash = self.md.htmlStash.rawHtmlBlocks
        for i, block in enumerate(stash):
            if isinstance(block, str) and ("href" in block or "src" in block):
                stash[i] = _RAW_LINK.sub(lambda m: _raw_link(o, m), block)
        if o.collect_text:
            o.text_parts.append(" ".join(t.strip() for t in root.itertext() if t.strip()))


_RAW_LINK = re.compile(r"""(<(a|img)\b[^>]*?\s(href|src)\s*=\s*)(["'])(.*?)\4""", re.I | re.S)


def _raw_link(owner: MarkdownRenderer, m: re.Match[str]) -> str:
    tag, attr, value = m.group(2).lower(), m.group(3).lower(), html.unescape(m.group(5))
    if (tag, attr) not in (("a", "href"), ("img", "src")) or not value:
        return m.group(0)
    rewritten = owner.rewrite(value, "link" if tag == "a" else "image")
    return f"{m.group(1)}{m.group(4)}{html.escape(rewritten, quote=True)}{m.group(4)}"


def _wrap_tables(root: ET.Element) -> None:
    """Put each table in a box that scrolls sideways, and make each picture open full size when tapped.

    A wide table must never widen the page, and a wide figure shrunk to a phone's width is too
    small to read until it is opened on its own and zoomed.
    """
    for parent in list(root.iter()):
        if parent.tag == "a":
            continue
        for i, child in enumerate(list(parent)):
            if child.tag == "table":
                box = ET.Element("div", {"class": "table-wrap"})
            elif child.tag == "img" and child.get("src"):
                box = ET.Element("a", {"class": "figure", "href": child.get("src", "")})
            else:
                continue
            box.tail, child.tail = child.tail, None
            parent.remove(child)
            box.append(child)
            parent.insert(i, box)


def _join_across(el: ET.Element) -> None:
    """Drop a line break that ends one text run when the next run starts with a Chinese character."""
    children = list(el)
    runs: list[tuple[Any, str]] = [(el, "text")] + [(c, "tail") for c in children]
    for i, (node, attr) in enumerate(runs[:-1]):
        value = getattr(node, attr)
        if not value or isinstance(value, AtomicString) or not _ENDS_CJK_BREAK.search(value):
            continue
        nxt = children[i]
        if nxt.tag in _SKIP_TAGS:
            continue
        if nxt.text and _STARTS_CJK.match(nxt.text):
            setattr(node, attr, _ENDS_CJK_BREAK.sub("", value))
    for child in children:
        tail = child.tail
        if tail and not isinstance(tail, AtomicString) and child.tag not in _SKIP_TAGS:
            inner = "".join(child.itertext())
            if _ENDS_CJK.search(inner):
                child.tail = _LEADING_CJK_BREAK.sub("", tail)


# Every inline pattern of the extensions we use needs one of these to match; Chinese text often has
# none, and trying each of some fifteen patterns on it is most of what Python-Markdown spends.
_INLINE_PATTERNS = frozenset({
    "backtick", "escape", "footnote", "reference", "link", "image_link", "image_reference", "short_reference",
    "short_image_ref", "autolink", "automail", "linebreak", "html", "entity", "em_strong",
})
_INLINE_TRIGGER = re.compile(r"[`\\\[!<&*_]|  \n")


class _FastInline(InlineProcessor):  # type: ignore[misc]
    """Python-Markdown's inline processor, which leaves text no inline pattern could match alone."""

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if patternIndex == 0 and not _INLINE_TRIGGER.search(data):
            return data
        return str(super()._InlineProcessor__handleInline(data, patternIndex))


class _Extension(Extension):  # type: ignore[misc]
    def __init__(self, owner: MarkdownRenderer) -> None:
        super().__init__()
        self.owner = owner

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.treeprocessors.register(_Document(md, self.owner), "cadre-document", 1)


def _fast_inline(md: markdown.Markdown) -> None:
    """Use _FastInline if every registered inline pattern is one whose trigger characters we know."""
    if {item.name for item in md.inlinePatterns._priority} <= _INLINE_PATTERNS:
        priority = next(item.priority for item in md.treeprocessors._priority if item.name == "inline")
        md.treeprocessors.register(_FastInline(md), "inline", priority)


class MarkdownRenderer:
    """Renders trainer Markdown, one document at a time, reusing one parser."""

    def __init__(self, links: Links, diags: Diagnostics, collect_text: bool = True, unsafe_html: bool = False) -> None:
        self.unsafe_html = unsafe_html
        self.links = links
        self.diags = diags
        self.collect_text = collect_text
        self.md = markdown.Markdown(
            extensions=[
                "tables", "footnotes", "admonition", "attr_list", "def_list", "abbr",
                "sane_lists", "toc", "pymdownx.highlight", "pymdownx.superfences", "pymdownx.tasklist",
                "pymdownx.details", _Extension(self),
            ],
            extension_configs={
                "toc": {"slugify": slugify_unicode, "toc_depth": "2-4"},
                "footnotes": {"BACKLINK_TITLE": "返回正文 %d"},
                "pymdownx.tasklist": {"custom_checkbox": False},
                "pymdownx.highlight": {"use_pygments": False},
            },
            output_format="html",
        )
        _fast_inline(self.md)
        self.source = Path()
        self.page = ""
        self.lines: list[str] = []
        self.body_line = 1
        self.ids: set[str] = set()
        self.headings: list[Heading] = []
        self.text_parts: list[str] = []

    def render(self, text: str, source: Path, page: str, body_line: int = 1) -> Rendered:
        """Return the HTML of `text` from `source`, for the page at site path `page`."""
        self.source, self.page, self.body_line = source, page, body_line
        self.lines = text.split("\n")
        self.ids, self.headings, self.text_parts = set(), [], []
        self.md.reset()
        html = self.md.convert(text)
        if not self.unsafe_html and "<" in text:
            html = clean(html)
        return Rendered(html, tuple(self.headings), frozenset(self.ids), " ".join(self.text_parts))

    def position(self, needle: str) -> Pos:
        """Return where `needle` is written in the current source, best effort."""
        for i, line in enumerate(self.lines):
            col = line.find(needle)
            if col >= 0:
                return Pos(i + self.body_line, col + 1)
        return Pos(self.body_line, 1)

    def error(self, pos: Pos, message: str) -> None:
        self.diags.error(self.source, pos.line, pos.column, message)

    def rewrite(self, link: str, kind: str) -> str:
        """Return the page-relative URL for a link or image written in the current source."""
        try:
            parts = urlsplit(link)
        except ValueError as exc:
            self.error(self.position(link), f"{kind} '{link}' is not a valid web address ({exc})")
            return "#"
        if "\x00" in unquote(parts.path):
            self.error(self.position(link), f"{kind} '{link}' contains %00 (a NUL character), which no file name can hold")
            return "#"
        if parts.scheme or parts.netloc or (link.startswith("#") and kind == "link"):
            if link.startswith("#") and len(link) > 1:
                self.links.anchors.append(AnchorRef(self.source, self.position(link), self.source, unquote(link[1:])))
            return link
        pos = self.position(link)
        if link.startswith("/"):
            self.error(pos, f"link '{link}' starts with '/'; use a path relative to this file so the site works from any folder")
            return link
        target = (self.source.parent / unquote(parts.path)).resolve() if parts.path else self.source
        content = self.links.content
        if not target.is_relative_to(content):
            self.error(pos, f"{kind} '{link}' points outside the content folder")
            return link
        if not _exists(target):
            what = "image" if kind == "image" else "link"
            self.error(pos, f"broken {what}: '{link}' does not exist ({_rel(target, content)})")
            return link
        if target.is_dir() and (target / "index.md").is_file():
            target = target / "index.md"
        if target.suffix == ".md":
            page = self.links.pages.get(target)
            if page is None:
                self.error(pos, f"link '{link}' points to a Markdown file that is not a page of the site")
                return link
            if parts.fragment:
                self.links.anchors.append(AnchorRef(self.source, pos, target, unquote(parts.fragment)))
            return href(self.page, page, parts.fragment)
        if target.is_dir():
            self.error(pos, f"{kind} '{link}' points to a folder, not a file")
            return link
        return href(self.page, self.links.asset_url(target), parts.fragment)


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # a name longer than the file system allows cannot exist either
        return False


def _rel(path: Path, content: Path) -> str:
    try:
        return "content/" + path.relative_to(content).as_posix()
    except ValueError:
        return path.as_posix()


def check_anchors(links: Links, ids: dict[Path, frozenset[str]], diags: Diagnostics) -> None:
    """Report every `#anchor` that names no heading or element of its target page."""
    for ref in links.anchors:
        known = ids.get(ref.target)
        if known is not None and ref.anchor not in known:
            message = f"broken anchor: '#{ref.anchor}' is not a heading of {_rel(ref.target, links.content)}"
            diags.error(ref.source, ref.pos.line, ref.pos.column, message)
