"""The exam server: the static site and the JSON exam API of SPEC §6, in one ASGI app.

Starlette was chosen because it is small, fully async, and runs on uvicorn; the exam rules live in
generator.exams and run in a thread pool, so a slow PIN hash never blocks other requests.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from ..errors import CadreError
from ..exams import accounts
from ..exams.attempts import ExamError, Exams

MAX_BODY = 64 * 1024
COOKIE = "cadre_session"
IP_WINDOW = 600.0
IP_MAX_FAILURES = 50

Clock = Callable[[], dt.datetime]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def error(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    headers = {"Cache-Control": "no-store"}
    if "retry_after" in extra:
        headers["Retry-After"] = str(extra.pop("retry_after"))
    return JSONResponse({"error": code, "message": message, **extra}, status_code=status, headers=headers)


class BodyLimit:
    """Refuse request bodies over MAX_BODY with 413, whatever Content-Length claims."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            await error(413, "too_large", "提交的内容太大了。")(scope, receive, send)
            return
        seen = 0

        async def limited() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > MAX_BODY:
                    raise _TooLargeError
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLargeError:
            await error(413, "too_large", "提交的内容太大了。")(scope, receive, send)


class _TooLargeError(Exception):
    pass


@dataclass
class State:
    exams: Exams
    clock: Clock
    ip_failures: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))


async def read_json(request: Request) -> Any:
    body = await request.body()
    try:
        return json.loads(body or b"null")
    except (ValueError, RecursionError) as exc:
        raise ExamError(400, "bad_json", "提交的内容不是有效的 JSON。") from exc


def _session(state: State, request: Request) -> accounts.Session:
    session = accounts.find_session(state.exams.db, request.cookies.get(COOKIE), state.clock())
    if session is None:
        raise ExamError(401, "not_signed_in", "请先登录(登录已过期或尚未登录)。")
    return session


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    host = request.headers.get("host", "")
    return origin.split("://", 1)[-1] == host


Handler = Callable[[State, Request], Awaitable[Response]]


def api(handler: Handler, *, csrf: bool = True) -> Callable[[Request], Awaitable[Response]]:
    """Wrap an API handler: same-origin and CSRF checks for writes, JSON errors for refusals."""

    async def endpoint(request: Request) -> Response:
        state: State = request.app.state.cadre
        try:
            if request.method in ("POST", "PUT", "DELETE", "PATCH"):
                if not _same_origin(request):
                    raise ExamError(403, "cross_origin", "拒绝来自其他网站的请求。")
                if csrf:
                    session = _session(state, request)
                    if request.headers.get("x-csrf-token") != session.csrf:
                        raise ExamError(403, "csrf", "缺少或错误的安全令牌,请刷新页面后重试。")
            response = await handler(state, request)
        except ExamError as exc:
            return error(exc.status, exc.code, exc.message, **exc.extra)
        except CadreError:
            # The store refused a write (a full disk, a read-only data folder): nothing was changed,
            # since every write is one transaction; the cadre's answers stay on the phone to retry.
            return error(503, "storage", "服务器暂时无法保存,请稍后再试;已经保存的答案不会丢失。", retry_after=30)
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    return endpoint


async def sign_in(state: State, request: Request) -> Response:
    data = await read_json(request)
    if not isinstance(data, dict) or not isinstance(data.get("cadre_id"), str) or not isinstance(data.get("pin"), str):
        raise ExamError(400, "bad_request", "请填写工号和 PIN 码。")
    cadre_id, pin = data["cadre_id"].strip()[:64], data["pin"].strip()[:32]
    ip = request.client.host if request.client else "?"
    failures = state.ip_failures[ip]
    now_s = time.monotonic()
    while failures and now_s - failures[0] > IP_WINDOW:
        failures.popleft()
    if len(failures) >= IP_MAX_FAILURES:
        raise ExamError(429, "locked", "这台设备登录失败次数太多,请稍后再试。", retry_after=int(IP_WINDOW))
    now = state.clock()
    result = await run_in_threadpool(accounts.sign_in, state.exams.db, cadre_id, pin, now)
    cadre = state.exams.cadre(cadre_id)
    if result.retry_after and not result.ok:
        failures.append(now_s)
        minutes = max(1, result.retry_after // 60)
        raise ExamError(429, "locked", f"PIN 码输错次数太多,请 {minutes} 分钟后再试。", retry_after=result.retry_after)
    if not result.ok or cadre is None:
        failures.append(now_s)
        raise ExamError(401, "wrong_pin", "工号或 PIN 码不对。")
    token, csrf = await run_in_threadpool(accounts.open_session, state.exams.db, cadre_id, now, request.cookies.get(COOKIE))
    response = JSONResponse({"cadre": {"id": cadre.id, "name": cadre.name}, "csrf_token": csrf})
    response.set_cookie(
        COOKIE, token, max_age=accounts.SESSION_HOURS * 3600, httponly=True, samesite="strict",
        secure=request.url.scheme == "https", path="/",
    )
    return response


async def sign_out(state: State, request: Request) -> Response:
    await run_in_threadpool(accounts.close_session, state.exams.db, request.cookies.get(COOKIE))
    response = Response(status_code=204)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response


async def list_exams(state: State, request: Request) -> Response:
    session = _session(state, request)
    return JSONResponse(await run_in_threadpool(state.exams.options, session.cadre_id, state.clock()))


async def start_attempt(state: State, request: Request) -> Response:
    session = _session(state, request)
    data = await read_json(request)
    if not isinstance(data, dict) or not isinstance(data.get("skill_id"), str) or isinstance(data.get("level"), bool) \
            or not isinstance(data.get("level"), int):
        raise ExamError(400, "bad_request", "请选择技能和等级。")
    attempt = await run_in_threadpool(state.exams.start, session.cadre_id, data["skill_id"], data["level"], state.clock())
    return JSONResponse(state.exams.payload(attempt), status_code=201)


async def get_attempt(state: State, request: Request) -> Response:
    session = _session(state, request)
    attempt = await run_in_threadpool(state.exams.get, request.path_params["attempt_id"], session.cadre_id)
    return JSONResponse(state.exams.payload(attempt, with_responses=True))


async def save_responses(state: State, request: Request) -> Response:
    session = _session(state, request)
    data = await read_json(request)
    responses = data.get("responses") if isinstance(data, dict) else None
    await run_in_threadpool(state.exams.save, request.path_params["attempt_id"], session.cadre_id, responses, state.clock())
    return Response(status_code=204)


async def submit_attempt(state: State, request: Request) -> Response:
    session = _session(state, request)
    data = await read_json(request)
    responses = data.get("responses") if isinstance(data, dict) else None
    attempt_id = request.path_params["attempt_id"]
    result = await run_in_threadpool(state.exams.submit, attempt_id, session.cadre_id, responses, state.clock())
    return JSONResponse(result)


async def not_found(state: State, request: Request) -> Response:
    raise ExamError(404, "not_found", "没有这个接口。")


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                            (b"x-frame-options", b"DENY")]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(exams: Exams, site: Path, clock: Clock = utcnow, watcher: Any = None) -> Starlette:
    """Return the ASGI app serving `site` and the exam API (and live reload, given a watcher)."""
    routes: list[BaseRoute] = []
    if watcher is not None:
        routes.append(Route("/__cadre/events", watcher.events, methods=["GET"]))
    routes += [
        Route("/api/session", api(sign_in, csrf=False), methods=["POST"]),
        Route("/api/session", api(sign_out), methods=["DELETE"]),
        Route("/api/exams", api(list_exams), methods=["GET"]),
        Route("/api/attempts", api(start_attempt), methods=["POST"]),
        Route("/api/attempts/{attempt_id}", api(get_attempt), methods=["GET"]),
        Route("/api/attempts/{attempt_id}/responses", api(save_responses), methods=["PUT"]),
        Route("/api/attempts/{attempt_id}/submit", api(submit_attempt), methods=["POST"]),
        Route("/api/{rest:path}", api(not_found, csrf=False), methods=["GET", "POST", "PUT", "DELETE"]),
        Mount("/", app=StaticFiles(directory=str(site), html=True, check_dir=False)),
    ]
    app = Starlette(routes=routes)
    app.state.cadre = State(exams, clock)
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)
    if watcher is not None:
        from .watch import InjectReload

        app.add_middleware(InjectReload)
    return app
