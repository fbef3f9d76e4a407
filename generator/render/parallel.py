"""Rendering Markdown on every core: large projects split their documents over a process pool.

Each worker holds one MarkdownRenderer (made once, in the pool's initializer) and returns, per
chunk, the rendered documents and what rendering found out: anchors to check, assets to copy and
located errors. The parent merges them in document order, so the output does not depend on which
worker rendered what. Small projects render in-process: a pool costs more than it saves there.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TypeVar

from ..errors import Diagnostic, Diagnostics
from ..markdown import AnchorRef, Links, MarkdownRenderer, Rendered

# (source file, Markdown body, line where the body starts, site path of its page)
Job = tuple[Path, str, int, str]
# What rendering one document gave: the HTML, anchors to check, assets to copy, located problems.
Result = tuple[Rendered, list[AnchorRef], dict[Path, str], list[Diagnostic]]

POOL_THRESHOLD = 200
T = TypeVar("T")
R = TypeVar("R")
_worker: tuple[Links, Diagnostics, MarkdownRenderer] | None = None


def _die_with_parent() -> None:
    """Ask Linux to end this worker when the build that started it dies (even by SIGKILL)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


def _init(root: Path, content: Path, pages: dict[Path, str], bundles: dict[Path, str], unsafe_html: bool) -> None:
    global _worker
    _die_with_parent()
    links = Links(content, pages, bundles)
    diags = Diagnostics(root)
    _worker = (links, diags, MarkdownRenderer(links, diags, unsafe_html=unsafe_html))


def render_one(job: Job, links: Links, diags: Diagnostics, renderer: MarkdownRenderer) -> Result:
    """Render one document with `renderer`, whose findings go to `links` and `diags` (emptied first)."""
    source, body, line, page = job
    links.anchors.clear()
    links.assets.clear()
    diags.items.clear()
    rendered = renderer.render(body, source, page, line)
    return rendered, list(links.anchors), dict(links.assets), list(diags.items)


def _render_chunk(jobs: list[Job]) -> list[Result]:
    assert _worker is not None
    return [render_one(job, *_worker) for job in jobs]


def workers() -> int:
    """How many processes to use: every core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def render_all(jobs: list[Job], links: Links, diags: Diagnostics, unsafe_html: bool) -> list[Result]:
    """Render every job, in parallel when there are many; return each one's result in order."""
    processes = workers()
    if len(jobs) < POOL_THRESHOLD or processes < 2:
        own_links = Links(links.content, links.pages, links.bundles)
        own_diags = Diagnostics(diags.root)
        renderer = MarkdownRenderer(own_links, own_diags, unsafe_html=unsafe_html)
        return [render_one(job, own_links, own_diags, renderer) for job in jobs]
    size = max(16, len(jobs) // (processes * 8))
    chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    context = multiprocessing.get_context("fork") if hasattr(os, "fork") else multiprocessing.get_context()
    out: list[Result] = []
    with ProcessPoolExecutor(processes, mp_context=context, initializer=_init,
                             initargs=(diags.root, links.content, links.pages, links.bundles, unsafe_html)) as pool:
        for results in pool.map(_render_chunk, chunks):
            out += results
    return out


def map_all(fn: Callable[[T], R], items: list[T], threshold: int = POOL_THRESHOLD) -> Iterator[R]:
    """Yield fn(x) for x in items, in order, computed on every core when there are many (fn must be
    a module-level function). Results are handed over one at a time, so the caller can let each go."""
    processes = workers()
    if len(items) < threshold or processes < 2:
        yield from (fn(x) for x in items)
        return
    context = multiprocessing.get_context("fork") if hasattr(os, "fork") else multiprocessing.get_context()
    size = max(1, len(items) // (processes * 4))
    with ProcessPoolExecutor(processes, mp_context=context, initializer=_die_with_parent) as pool:
        yield from pool.map(fn, items, chunksize=size)
