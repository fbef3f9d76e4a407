"""A real exam server on 127.0.0.1: uvicorn in a thread, with a clock the test can move."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from generator.exams.context import ExamContext, open_exams
from generator.render.site import build_site
from generator.server.app import create_app


@dataclass
class Clock:
    offset: dt.timedelta = dt.timedelta(0)

    def __call__(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + self.offset


@dataclass
class Live:
    url: str
    context: ExamContext
    clock: Clock


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(root: Path, ledger: str | None = None, watch: bool = False) -> Iterator[Live]:
    """Build the site, open the exam state, and serve both on a free loopback port."""
    build_site(root, ledger=ledger)
    context = open_exams(root, ledger)
    clock = Clock()
    port = free_port()
    watcher = None
    if watch:
        from generator.cache import BuildState
        from generator.server.watch import Watcher

        # as `cadre serve --watch` does: the state stays in memory, and rebuilds know what changed
        state = BuildState.load(root)
        watcher = Watcher(root, lambda changed: build_site(root, ledger=ledger, state=state, changed=changed))
        watcher.rebuild()
        watcher.start()
    app = create_app(context.exams, root / "site", clock, watcher=watcher)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield Live(f"http://127.0.0.1:{port}", context, clock)
    finally:
        if watcher is not None:
            watcher.stop()
        server.should_exit = True
        thread.join(timeout=10)
