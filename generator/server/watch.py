"""`cadre serve --watch`: rebuild on save, reload the open pages, and show content errors on the page.

A thread watches content/, quizzes/ and the roster with watchfiles and rebuilds the site in this
process. Pages served in watch mode carry a small script listening on /__cadre/events (Server-Sent
Events): after a good build it reloads the page; after a failed one it shows the errors, each with
its file, line and column, over the page, while the last good site keeps being served.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import CadreError, ProjectError

SCRIPT = """<script>
(function () {
  var box = null;
  function show(lines) {
    if (!box) { box = document.createElement("div"); box.id = "cadre-build-error"; document.body.prepend(box); }
    box.setAttribute("style", "position:fixed;z-index:99;inset:0 0 auto 0;max-height:60vh;overflow:auto;background:#fdeeed;" +
      "border-bottom:3px solid #b3261e;padding:10px 14px;font:14px/1.5 monospace;white-space:pre-wrap");
    box.textContent = "cadre build failed; the last good site is shown.\\n\\n" + lines.join("\\n");
  }
  var events = new EventSource("/__cadre/events");
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("failed", function (e) { show(JSON.parse(e.data)); });
})();
</script>"""


class Watcher:
    """Rebuilds the site on every change and tells every open page what happened."""

    def __init__(self, root: Path, build: Callable[[set[Path] | None], Any]) -> None:
        self.root = root
        self.build = build
        self.errors: list[str] = []
        self.generation = 0
        self._listeners: set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[tuple[str, str]]]] = set()
        self._stop = threading.Event()

    def paths(self) -> list[Path]:
        return [p for p in (self.root / "content", self.root / "quizzes") if p.exists()]

    def rebuild(self, changed: set[Path] | None = None) -> None:
        """Build once; keep the errors to show if it fails (the old site stays in place).

        `changed` names the files changed since the last build (None: not known), so that a
        rebuild after editing text redoes only what shows it.
        """
        try:
            self.build(changed)
        except ProjectError as exc:
            self.errors = [str(d) for d in exc.diagnostics if d.severity == "error"]
        except CadreError as exc:
            self.errors = [exc.format_message()]
        else:
            self.errors = []
            self.generation += 1
        self._announce()

    def _announce(self) -> None:
        event = ("failed", json.dumps(self.errors, ensure_ascii=False)) if self.errors else ("reload", str(self.generation))
        for loop, queue in list(self._listeners):
            loop.call_soon_threadsafe(queue.put_nowait, event)

    def run(self) -> None:
        """Watch until stopped (a daemon thread)."""
        from watchfiles import watch

        for changes in watch(*self.paths(), stop_event=self._stop, debounce=200, step=50):
            self.rebuild({Path(path) for _, path in changes})

    def start(self) -> None:
        threading.Thread(target=self.run, name="cadre-watch", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    async def events(self, request: Request) -> Response:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
        listener = (loop, queue)
        self._listeners.add(listener)
        if self.errors:
            queue.put_nowait(("failed", json.dumps(self.errors, ensure_ascii=False)))

        async def stream() -> AsyncIterator[str]:
            try:
                yield ": connected\n\n"
                while True:
                    try:
                        kind, data = await asyncio.wait_for(queue.get(), timeout=15)
                        yield f"event: {kind}\ndata: {data}\n\n"
                    except TimeoutError:
                        yield ": keep-alive\n\n"
                    if await request.is_disconnected():
                        break
            finally:
                self._listeners.discard(listener)

        return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})


class InjectReload:
    """Adds the live-reload script to every HTML page served (watch mode only).

    Pages are never revalidated from the browser's cache here: a rebuild within the same second
    as the last would keep the same Last-Modified, and the reload would show the old page.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(("/api/", "/__cadre/")):
            await self.app(scope, receive, send)
            return
        scope = {**scope, "headers": [(k, v) for k, v in scope.get("headers", [])
                                      if k.lower() not in (b"if-modified-since", b"if-none-match")]}
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                types = dict(message.get("headers", []))
                if not types.get(b"content-type", b"").startswith(b"text/html"):
                    await send(message)
                    return
                start = message
                return
            if start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                body = b"".join(chunks).replace(b"</body>", SCRIPT.encode() + b"</body>", 1)
                headers = [(k, v) for k, v in start["headers"]
                           if k.lower() not in (b"content-length", b"etag", b"last-modified", b"cache-control")]
                headers += [(b"content-length", str(len(body)).encode()), (b"cache-control", b"no-store")]
                await send({**start, "headers": headers})
                await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)


