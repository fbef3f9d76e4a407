"""Raw HTML in trainer Markdown is cleaned with nh3 (a real sanitiser, ammonia) unless a site opts out.

The allow-list is what Markdown and its extensions produce plus plain formatting a trainer may
write by hand; scripts, styles, event handlers, forms and javascript: links never pass. Offices that
want raw HTML as written set `unsafe_html: true` in site.yaml.
"""

from __future__ import annotations

import nh3

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
})
ATTRIBUTES = {
    "*": {"id", "class", "title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "input": {"type", "checked", "disabled"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start", "type"},
    "details": {"open"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def clean(html: str) -> str:
    """Return `html` with everything outside the allow-list removed."""
    return str(nh3.clean(html, tags=set(TAGS), attributes={k: set(v) for k, v in ATTRIBUTES.items()},
                         url_schemes=set(URL_SCHEMES), link_rel=None, strip_comments=True))
