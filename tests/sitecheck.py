"""Reading a built site back: every link, every resource, every page size."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.resources: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        if tag in ("img", "script", "iframe", "audio", "video", "source") and a.get("src"):
            self.resources.append(a["src"] or "")
        if tag == "link" and a.get("href"):
            self.resources.append(a["href"] or "")


def parse(path: Path) -> _Refs:
    refs = _Refs()
    refs.feed(path.read_text("utf-8"))
    return refs


def broken_links(site: Path) -> list[str]:
    """Return every internal link or resource of every page whose target or anchor is missing."""
    problems: list[str] = []
    pages = {p: parse(p) for p in sorted(site.rglob("*.html"))}
    for page, refs in pages.items():
        if page.name == "404.html":
            continue
        for url in refs.links + refs.resources:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page.resolve()
            name = f"{page.relative_to(site)} -> {url}"
            if not target.is_file():
                problems.append(f"{name}: no such file")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{name}: no such anchor")
    return problems


def external_resources(site: Path) -> list[str]:
    """Return every resource a page would load from another host (there must be none)."""
    found = []
    for page in sorted(site.rglob("*.html")):
        for url in parse(page).resources:
            if urlsplit(url).scheme or url.startswith("//"):
                found.append(f"{page.relative_to(site)}: {url}")
    for css in sorted(site.rglob("*.css")):
        for url in re.findall(r"url\(([^)]*)\)|@import", css.read_text("utf-8")):
            found.append(f"{css.relative_to(site)}: {url or '@import'}")
    return found


def page_weights(site: Path) -> dict[str, int]:
    """Return the bytes of HTML + CSS + scripts each page loads (images aside)."""
    weights = {}
    for page in sorted(site.rglob("*.html")):
        refs = parse(page)
        total = page.stat().st_size
        for url in refs.resources:
            target = (page.parent / unquote(urlsplit(url).path)).resolve()
            if target.suffix in (".css", ".js") and target.is_file():
                total += target.stat().st_size
        weights[str(page.relative_to(site))] = total
    return weights
