"""Rendering Markdown on every core: large projects split their documents over a process pool.

Each worker holds one MarkdownRenderer (made once, in the pool's initializer) and returns, per
chunk, the rendered documents and what rendering found out: anchors to check, assets to copy and
located errors. The parent merges them in document order, so the output does not depend on which
worker rendered what. Small projects render in-process: a pool costs more than it saves there.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ..errors import Diagnostic, Diagnostics
from ..markdown import AnchorRef, Links, MarkdownRenderer, Rendered

# (source file, Markdown body, line where the body starts, site path of its page)
Job = tuple[Path, str, int, str]
Result = tuple[list[Rendered], list[AnchorRef], dict[Path, str], list[Diagnostic]]

POOL_THRESHOLD = 200
_worker: tuple[Links, Diagnostics, MarkdownRenderer] | None = None


def _init(root: Path, content: Path, pages: dict[Path, str], bundles: dict[Path, str], unsafe_html: bool) -> None:
    global _worker
    links = Links(content, pages, bundles)
    diags = Diagnostics(root)
    _worker = (links, diags, MarkdownRenderer(links, diags, unsafe_html=unsafe_html))


def _render_chunk(jobs: list[Job]) -> Result:
    assert _worker is not None
    links, diags, renderer = _worker
    links.anchors.clear()
    links.assets.clear()
    diags.items.clear()
    rendered = [renderer.render(body, source, page, line) for source, body, line, page in jobs]
    return rendered, list(links.anchors), dict(links.assets), list(diags.items)


def workers() -> int:
    """How many processes to use: every core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def render_all(jobs: list[Job], links: Links, diags: Diagnostics, renderer: MarkdownRenderer) -> list[Rendered]:
    """Render every job, in parallel when there are many; merge findings into `links` and `diags`."""
    processes = workers()
    if len(jobs) < POOL_THRESHOLD or processes < 2:
        return [renderer.render(body, source, page, line) for source, body, line, page in jobs]
    size = max(16, len(jobs) // (processes * 8))
    chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    context = multiprocessing.get_context("fork") if hasattr(os, "fork") else multiprocessing.get_context()
    out: list[Rendered] = []
    with ProcessPoolExecutor(processes, mp_context=context, initializer=_init,
                             initargs=(diags.root, links.content, links.pages, links.bundles, renderer.unsafe_html)) as pool:
        for rendered, anchors, assets, found in pool.map(_render_chunk, chunks):
            out += rendered
            links.anchors += anchors
            for path, url in assets.items():
                links.assets.setdefault(path, url)
            diags.items += found
    return out
