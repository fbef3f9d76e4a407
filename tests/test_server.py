"""The exam API over real HTTP on loopback, on SQLite and PostgreSQL: the flow and the attacks."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.exams.accounts import issue_pins

from .conftest import MakeProject
from .examproject import FILES, right_answers
from .liveserver import Live, live_server


@pytest.fixture
def live(make_project: MakeProject, store_url: str) -> Iterator[tuple[Live, dict[str, str], Path]]:
    root = make_project(FILES)
    with live_server(root, store_url) as server:
        ctx = server.context
        pins = {c.id: pin for c, pin in issue_pins(ctx.db, list(ctx.project.cadres), server.clock())}
        yield server, pins, root


def sign_in(server: Live, cadre: str, pin: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=server.url, headers={"Origin": server.url})
    r = client.post("/api/session", json={"cadre_id": cadre, "pin": pin})
    assert r.status_code == 200, r.text
    return client, r.json()["csrf_token"]


def orders_of(server: Live, attempt_id: str) -> dict[str, list[int]]:
    attempt = server.context.exams.get(attempt_id)
    return {s.id: list(s.order) for s in attempt.shown}


FORBIDDEN = {"answer", "explanation", "pairs", "tolerance", "order", "q", "scoring"}


def no_answer_in(body: Any) -> None:
    """No key anywhere in the body may carry an answer, its explanation, or the shuffle."""
    if isinstance(body, dict):
        assert FORBIDDEN.isdisjoint(body), set(body) & FORBIDDEN
        for value in body.values():
            no_answer_in(value)
    elif isinstance(body, list):
        for value in body:
            no_answer_in(value)


def test_sign_in_take_an_exam_pass_and_get_a_certificate(live: tuple[Live, dict[str, str], Path]) -> None:
    server, pins, root = live
    client, csrf = sign_in(server, "c1", pins["c1"])
    cookie = client.cookies.jar
    set_cookie = next(iter(cookie))
    assert set_cookie.name == "cadre_session" and set_cookie.has_nonstandard_attr("HttpOnly")
    exams = client.get("/api/exams").json()
    assert exams == [{"skill_id": "alpha", "skill_title": "甲技能", "level": 1, "level_name": "初级", "minutes": 20, "attempts_left": 2}]
    started = client.post("/api/attempts", json={"skill_id": "alpha", "level": 1}, headers={"X-CSRF-Token": csrf})
    assert started.status_code == 201
    body = started.json()
    no_answer_in(body)
    assert len(body["questions"]) == 3
    attempt_id = body["attempt_id"]
    again = client.post("/api/attempts", json={"skill_id": "alpha", "level": 1}, headers={"X-CSRF-Token": csrf})
    assert again.status_code == 409 and again.json()["attempt_id"] == attempt_id
    responses = right_answers(root, "alpha", body["questions"], orders_of(server, attempt_id))
    saved = client.put(f"/api/attempts/{attempt_id}/responses", json={"responses": responses}, headers={"X-CSRF-Token": csrf})
    assert saved.status_code == 204
    fetched = client.get(f"/api/attempts/{attempt_id}").json()
    assert fetched["responses"] == json.loads(json.dumps(responses))
    no_answer_in({k: v for k, v in fetched.items() if k != "responses"})
    result = client.post(f"/api/attempts/{attempt_id}/submit", json={"responses": responses}, headers={"X-CSRF-Token": csrf})
    assert result.status_code == 200
    data = result.json()
    assert data["score"] == "100.0" and data["passed"] is True and data["pass_mark"] == 60
    assert data["certificate"]["cert_id"] == "CERT-2026-000000" or data["certificate"]["cert_id"].startswith("CERT-")
    assert all("answer" in q and "explanation" in q for q in data["questions"])
    replay = client.post(f"/api/attempts/{attempt_id}/submit", json={"responses": {}}, headers={"X-CSRF-Token": csrf})
    assert replay.status_code == 409 and replay.json()["error"] == "submitted"
    ledger = server.context.ledger
    assert len(ledger.entries()) == 1 and ledger.verify().ok
    assert client.delete("/api/session", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert client.get("/api/exams").status_code == 401


def test_wrong_pin_then_lockout(live: tuple[Live, dict[str, str], Path]) -> None:
    server, pins, _ = live
    client = httpx.Client(base_url=server.url)
    for _ in range(4):
        r = client.post("/api/session", json={"cadre_id": "c2", "pin": "000000"})
        assert r.status_code == 401 and r.json() == {"error": "wrong_pin", "message": "工号或 PIN 码不对。"}
    locked = client.post("/api/session", json={"cadre_id": "c2", "pin": "000000"})
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    # Even the right PIN is refused while locked out.
    still = client.post("/api/session", json={"cadre_id": "c2", "pin": pins["c2"]})
    assert still.status_code == 429
    server.clock.offset = dt.timedelta(minutes=16)
    assert client.post("/api/session", json={"cadre_id": "c2", "pin": pins["c2"]}).status_code == 200
    unknown = client.post("/api/session", json={"cadre_id": "nobody", "pin": "123456"})
    assert unknown.status_code == 401


def test_cross_site_and_forged_requests_are_refused(live: tuple[Live, dict[str, str], Path]) -> None:
    server, pins, _ = live
    client, csrf = sign_in(server, "c1", pins["c1"])
    no_token = client.post("/api/attempts", json={"skill_id": "alpha", "level": 1})
    assert no_token.status_code == 403 and no_token.json()["error"] == "csrf"
    wrong = client.post("/api/attempts", json={"skill_id": "alpha", "level": 1}, headers={"X-CSRF-Token": "x" + csrf})
    assert wrong.status_code == 403
    other_site = client.post("/api/attempts", json={"skill_id": "alpha", "level": 1},
                             headers={"X-CSRF-Token": csrf, "Origin": "https://evil.example"})
    assert other_site.status_code == 403 and other_site.json()["error"] == "cross_origin"


def test_session_is_rotated_on_sign_in(live: tuple[Live, dict[str, str], Path]) -> None:
    server, pins, _ = live
    planted = "attacker-chosen-token"
    r = httpx.post(f"{server.url}/api/session", json={"cadre_id": "c1", "pin": pins["c1"]}, cookies={"cadre_session": planted})
    assert r.status_code == 200
    header = r.headers["set-cookie"]
    assert header.startswith("cadre_session=") and planted not in header
    assert "HttpOnly" in header and "SameSite=strict" in header and "Path=/" in header
    stolen_before = httpx.Client(base_url=server.url, cookies={"cadre_session": planted})
    assert stolen_before.get("/api/exams").status_code == 401


def test_another_cadres_attempt_is_not_found(live: tuple[Live, dict[str, str], Path]) -> None:
    server, pins, _ = live
    one, csrf1 = sign_in(server, "c1", pins["c1"])
    attempt_id = one.post("/api/attempts", json={"skill_id": "alpha", "level": 1}, headers={"X-CSRF-Token": csrf1}).json()["attempt_id"]
    two, csrf2 = sign_in(server, "c2", pins["c2"])
    assert two.get(f"/api/attempts/{attempt_id}").status_code == 404
    assert two.put(f"/api/attempts/{attempt_id}/responses", json={"responses": {}}, headers={"X-CSRF-Token": csrf2}).status_code == 404
    assert two.post(f"/api/attempts/{attempt_id}/submit", json={"responses": {}}, headers={"X-CSRF-Token": csrf2}).status_code == 404
    assert two.get("/api/attempts/FAKE-FAKE-FAKE").status_code == 404


def test_late_submission_is_refused_and_the_autosave_graded(live: tuple[Live, dict[str, str], Path]) -> None:
    server, pins, root = live
    client, csrf = sign_in(server, "c3", pins["c3"])
    body = client.post("/api/attempts", json={"skill_id": "alpha", "level": 1}, headers={"X-CSRF-Token": csrf}).json()
    attempt_id = body["attempt_id"]
    right = right_answers(root, "alpha", body["questions"], orders_of(server, attempt_id))
    first = body["questions"][0]["id"]
    client.put(f"/api/attempts/{attempt_id}/responses", json={"responses": {first: right[first]}}, headers={"X-CSRF-Token": csrf})
    server.clock.offset = dt.timedelta(minutes=22)
    late_save = client.put(f"/api/attempts/{attempt_id}/responses", json={"responses": right}, headers={"X-CSRF-Token": csrf})
    assert late_save.status_code == 409
    late = client.post(f"/api/attempts/{attempt_id}/submit", json={"responses": right}, headers={"X-CSRF-Token": csrf})
    assert late.status_code == 409
    graded = late.json()["result"]
    earned = [q["earned"] for q in graded["questions"]]
    assert earned[0] != "0" and all(e == "0" for e in earned[1:])


def test_attempts_beyond_the_limit_are_refused(live: tuple[Live, dict[str, str], Path]) -> None:
    server, pins, _ = live
    client, csrf = sign_in(server, "c2", pins["c2"])
    for _ in range(2):
        attempt = client.post("/api/attempts", json={"skill_id": "alpha", "level": 1}, headers={"X-CSRF-Token": csrf}).json()
        client.post(f"/api/attempts/{attempt['attempt_id']}/submit", json={"responses": {}}, headers={"X-CSRF-Token": csrf})
    third = client.post("/api/attempts", json={"skill_id": "alpha", "level": 1}, headers={"X-CSRF-Token": csrf})
    assert third.status_code == 403 and third.json()["error"] == "no_attempts_left"
    higher = client.post("/api/attempts", json={"skill_id": "alpha", "level": 2}, headers={"X-CSRF-Token": csrf})
    assert higher.status_code == 403 and higher.json()["error"] == "not_allowed"
    assert server.context.ledger.entries() == []


def test_malformed_oversized_and_nested_bodies(live: tuple[Live, dict[str, str], Path]) -> None:
    server, pins, _ = live
    client, csrf = sign_in(server, "c1", pins["c1"])
    headers = {"X-CSRF-Token": csrf, "Content-Type": "application/json"}
    bad = client.post("/api/attempts", content=b"{not json", headers=headers)
    assert bad.status_code == 400 and bad.json()["error"] == "bad_json"
    huge = client.post("/api/attempts", content=b"[" + b"1," * 40000 + b"1]", headers=headers)
    assert huge.status_code == 413 and huge.json()["error"] == "too_large"
    deep = client.post("/api/attempts", content=b"[" * 20000 + b"]" * 20000, headers=headers)
    assert deep.status_code in (400, 413)
    wrong_shape = client.post("/api/attempts", json={"skill_id": ["alpha"], "level": "1"}, headers=headers)
    assert wrong_shape.status_code == 400 and "message" in wrong_shape.json()
    assert client.get("/api/nothing-here").status_code == 404


def test_static_site_is_served_and_traversal_refused(live: tuple[Live, dict[str, str], Path]) -> None:
    server, _, _ = live
    client = httpx.Client(base_url=server.url)
    assert client.get("/").status_code == 200
    assert "甲技能" in client.get("/skills/alpha/").text
    assert client.get("/exams/").status_code == 200
    for path in ("/../content/site.yaml", "/%2e%2e/content/site.yaml", "/skills/..%2f..%2fcontent/site.yaml", "/../data/ledger.sqlite3"):
        r = client.get(path)
        assert r.status_code == 404 and "title:" not in r.text, path
