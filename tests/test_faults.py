"""Faults: a server killed mid-exam, a build killed midway, a full disk and a read-only data folder."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.exams.accounts import issue_pins
from generator.exams.context import open_exams
from generator.render.site import build_site

from .conftest import REPO, MakeProject
from .examproject import FILES, right_answers
from .liveserver import free_port

ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def start_server(root: Path, port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--project", str(root), "--port", str(port)],
                               env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(200):
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.05)
    process.kill()
    raise AssertionError(process.stderr.read().decode() if process.stderr else "server did not start")


def test_server_killed_mid_exam_loses_no_answer_and_no_certificate(make_project: MakeProject) -> None:
    root = make_project(FILES)
    build_site(root)
    context = open_exams(root)
    pins = {c.id: p for c, p in issue_pins(context.db, list(context.project.cadres), __import__("datetime").datetime.now(
        __import__("datetime").UTC))}
    context.db.close()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = start_server(root, port)
    client = httpx.Client(base_url=url, headers={"Origin": url})
    csrf = {"X-CSRF-Token": client.post("/api/session", json={"cadre_id": "c1", "pin": pins["c1"]}).json()["csrf_token"]}
    attempt = client.post("/api/attempts", json={"skill_id": "alpha", "level": 1}, headers=csrf).json()
    orders = {s.id: list(s.order) for s in open_exams(root).exams.get(attempt["attempt_id"]).shown}
    saved = right_answers(root, "alpha", attempt["questions"], orders)
    assert client.put(f"/api/attempts/{attempt['attempt_id']}/responses", json={"responses": saved}, headers=csrf).status_code == 204
    server.send_signal(signal.SIGKILL)
    server.wait()

    server = start_server(root, port)
    try:
        # The session, the autosaved answers and the deadline all survived the kill.
        again = client.get(f"/api/attempts/{attempt['attempt_id']}")
        assert again.status_code == 200
        body = again.json()
        assert body["responses"] == saved and body["deadline"] == attempt["deadline"] and body["submitted"] is False
        result = client.post(f"/api/attempts/{attempt['attempt_id']}/submit", json={"responses": saved}, headers=csrf)
        assert result.status_code == 200
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait()
    assert result.json()["passed"] is True and result.json()["certificate"] is not None
    verify = subprocess.run([sys.executable, "-m", "generator", "ledger", "verify", "--project", str(root)], env=ENV,
                            capture_output=True, text=True)
    assert verify.returncode == 0 and verify.stdout.startswith("OK: 1 entries"), verify.stdout + verify.stderr


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_build_killed_midway_leaves_the_old_site(make_project: MakeProject) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from corpus import generate

    root = make_project()
    build_site(root)
    before = tree(root / "site")
    corpus = root.parent / "corpus"
    generate(300, corpus)
    shutil.rmtree(root / "content")
    shutil.copytree(corpus / "cadre" / "content", root / "content")
    shutil.copytree(corpus / "cadre" / "quizzes", root / "quizzes")
    process = subprocess.Popen([sys.executable, "-m", "generator", "build", "-q", "--project", str(root)], env=ENV,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    assert process.poll() is None, "the build must still be running when it is killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert tree(root / "site") == before
    build_site(root)  # the next build succeeds and removes the debris
    assert not list(root.glob(".site.*"))
    assert (root / "site" / "skills" / "skill-00000" / "index.html").is_file()


@contextmanager
def small_disk(path: Path, size: str = "2m") -> Iterator[None]:
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {mounted.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def seed_ledger(root: Path, passes: int = 3) -> None:
    import datetime as dt

    from generator.ledger.log import Ledger
    from generator.store.db import Database

    ledger = Ledger(Database(str(root / "data" / "ledger.sqlite3")), root / "data", "CERT")
    for i in range(passes):
        ledger.issue_or_renew(cadre_id=f"c{i}", cadre_name="甲", skill_id="alpha", skill_title="甲技能", level=1, score="90.0",
                              issuer="乡镇", validity_years=3, attempt_id=f"A{i}", now=dt.datetime.now(dt.UTC))
    ledger.db.close()


def test_full_disk_gives_a_clear_error_not_a_corrupt_ledger(make_project: MakeProject) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root")
    root = make_project(FILES)
    with small_disk(root / "data"):
        seed_ledger(root)
        filler = root / "data" / "filler"
        with open(filler, "wb", buffering=0) as out:
            try:
                while True:
                    out.write(b"\0" * 4096)
            except OSError:
                pass
        runner = CliRunner()
        failures = []
        for i in range(40):  # keep revoking until the disk refuses a write
            result = runner.invoke(main, ["ledger", "revoke", "CERT-2026-000000" if i == 0 else f"CERT-2026-{i:06d}",
                                          "--reason", "测试" * 200, "-p", str(root)], catch_exceptions=False)
            if result.exit_code == 2 and "cannot be written" in result.output:
                failures.append(result.output)
                break
        filler.unlink()
        assert failures, "the disk never filled"
        assert "Traceback" not in failures[0] and "database or disk is full" in failures[0]
        verify = runner.invoke(main, ["ledger", "verify", "-p", str(root)], catch_exceptions=False)
        assert verify.exit_code == 0, verify.output


def test_read_only_data_folder_gives_a_clear_error(make_project: MakeProject) -> None:
    if os.geteuid() != 0:
        pytest.skip("remounting read-only needs root")
    root = make_project(FILES)
    with small_disk(root / "data"):
        seed_ledger(root)
        subprocess.run(["mount", "-o", "remount,ro", str(root / "data")], check=True)
        runner = CliRunner()
        revoke = runner.invoke(main, ["ledger", "revoke", "CERT-2026-000000", "--reason", "测试", "-p", str(root)],
                               catch_exceptions=False)
        assert revoke.exit_code == 2 and "cannot be written" in revoke.output and "Traceback" not in revoke.output
        verify = runner.invoke(main, ["ledger", "verify", "-p", str(root)], catch_exceptions=False)
        assert verify.exit_code == 0 and verify.output.startswith("OK: 3 entries"), verify.output
