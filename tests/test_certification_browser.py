"""End to end in headless Chromium: an exam over real HTTP, a certificate, and its verification."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.exams.accounts import issue_pins
from generator.render.site import build_site

from .conftest import MakeProject
from .examproject import FILES
from .liveserver import live_server
from .test_browser import SHOTS, browser, open_phone  # noqa: F401  (the browser fixture)
from .test_practice_browser import answer


def test_exam_certificate_and_verification(browser: Any, make_project: MakeProject, tmp_path: Path) -> None:  # noqa: F811
    root = make_project(FILES)
    ledger_url = str(root / "data" / "ledger.sqlite3")
    SHOTS.mkdir(exist_ok=True)
    with live_server(root, ledger_url) as server:
        pins = {c.id: pin for c, pin in issue_pins(server.context.db, list(server.context.project.cadres), server.clock())}
        page, _ = open_phone(browser, f"{server.url}/exams/")
        page.on("dialog", lambda dialog: dialog.accept())
        page.fill("input[name=cadre_id]", "c1")
        page.fill("input[name=pin]", pins["c1"])
        page.click("form.signin button[type=submit]")
        page.click("text=开始考试")
        page.wait_for_selector(".exam-paper .question")
        exams = server.context.exams
        attempt_id = server.context.db.one("SELECT id FROM attempts WHERE cadre_id = 'c1'")[0]
        attempt = exams.get(attempt_id)
        bank = exams.bank("alpha")
        from generator.exams.attempts import shown_answer

        for shown in attempt.shown:
            q = bank.question(shown.id)
            response = shown_answer(q, shown)
            if q.type == "truefalse":
                response = str(response).lower()
            elif q.type == "numeric":
                response = str(response)
            answer(page, {"id": q.id, "type": q.type}, response)
        page.screenshot(path=str(SHOTS / "exam-in-progress.png"), full_page=True)
        page.click(".exam-paper button[type=submit]")
        page.wait_for_selector(".result")
        page.screenshot(path=str(SHOTS / "exam-result.png"), full_page=True)
        assert page.locator(".result .score").inner_text() == "100.0 分,通过!"
        cert_id = server.context.ledger.certificates()[0].cert_id
        assert cert_id in page.locator(".certificate").inner_text()
        page.context.close()

    # Publish: the certificate page verifies itself in the browser, from disk.
    build_site(root, ledger=ledger_url)
    cert_page = root / "site" / "ledger" / cert_id / "index.html"
    page, requests = open_phone(browser, cert_page.as_uri())
    page.wait_for_selector("#verdict:not([data-status=pending])")
    assert page.locator("#verdict").get_attribute("data-status") == "valid"
    page.screenshot(path=str(SHOTS / "certificate-valid.png"), full_page=True)
    assert all(r.startswith("file://") for r in requests)
    page.context.close()

    # The verify page: the genuine file is valid, a tampered one is forged.
    original = json.loads((root / "site" / "ledger" / "certs" / f"{cert_id}.json").read_text("utf-8"))
    tampered = json.loads(json.dumps(original))
    tampered["entry"]["score"] = "99.0"
    verify_page = (root / "site" / "ledger" / "verify" / "index.html").as_uri()
    for name, data, expected in (("genuine", original, "valid"), ("tampered", tampered, "forged")):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        page, _ = open_phone(browser, verify_page)
        page.set_input_files("input[name=file]", str(path))
        page.wait_for_selector("#verify-result[data-status]")
        assert page.locator("#verify-result").get_attribute("data-status") == expected, name
        if expected == "forged":
            page.screenshot(path=str(SHOTS / "verify-forged.png"), full_page=True)
        page.context.close()

    # A revocation is published and shown; deleting it from the file does not hide it.
    from generator.exams.context import open_ledger
    from generator.project import load_project

    log = open_ledger(load_project(root), ledger_url)
    assert log is not None
    import datetime as dt

    log.revoke(cert_id, "测试:证书收回", dt.datetime.now(dt.UTC))
    build_site(root, ledger=ledger_url)
    page, _ = open_phone(browser, cert_page.as_uri())
    page.wait_for_selector("#verdict:not([data-status=pending])")
    assert page.locator("#verdict").get_attribute("data-status") == "revoked"
    page.context.close()
    stripped = json.loads((root / "site" / "ledger" / "certs" / f"{cert_id}.json").read_text("utf-8"))
    stripped.pop("revocation")
    page, _ = open_phone(browser, verify_page)
    page.fill("textarea[name=json]", json.dumps(stripped, ensure_ascii=False))
    page.click("#verify-form button[type=submit]")
    page.wait_for_selector("#verify-result[data-status]")
    assert page.locator("#verify-result").get_attribute("data-status") == "revoked"
    page.context.close()


def test_exam_page_says_when_no_server_is_reachable(browser: Any, make_project: MakeProject) -> None:  # noqa: F811
    root = make_project(FILES)
    build_site(root)
    page, _ = open_phone(browser, (root / "site" / "exams" / "index.html").as_uri())
    notice = page.locator("#exam .notice")
    assert "连接不到考试服务器" in notice.inner_text()
    page.context.close()
