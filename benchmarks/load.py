"""Load on the exam server: N concurrent cadres sign in, start an exam, autosave and submit.

A real `cadre serve` runs on 127.0.0.1; every cadre is an httpx client with its own session. The bank
is true/false only (never shuffled), so every right answer is "true" and every submission passes
and appends to the ledger. Afterwards: every attempt graded exactly once, one certificate per pass,
and `cadre ledger verify` clean. Prints throughput and latency percentiles per phase.

    python benchmarks/load.py --cadres 500 [--ledger postgresql://...]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import yaml

REPO = Path(__file__).resolve().parent.parent

BANK = "skill: alpha\nexam:\n  1: {minutes: 30, attempts: 3, draw: [{level: 1, count: 10}]}\nquestions:\n" + "".join(
    f"  - {{id: q{i}, level: 1, type: truefalse, prompt: 第{i}题, answer: true, explanation: 对。}}\n" for i in range(12)
)


def make_project(root: Path, cadres: int) -> None:
    (root / "content" / "skills" / "economy").mkdir(parents=True)
    (root / "quizzes").mkdir()
    (root / "content" / "site.yaml").write_text("title: 负载测试\n", "utf-8")
    (root / "content" / "curriculum.yaml").write_text("categories:\n  - {id: economy, title: 发展经济}\n", "utf-8")
    (root / "content" / "skills" / "economy" / "alpha.md").write_text(
        "---\ntitle: 甲技能\ncategory: economy\nlevels: [1]\n---\n\n## 一\n\n正文。\n", "utf-8")
    (root / "quizzes" / "alpha.yaml").write_text(BANK, "utf-8")
    roster = [{"id": f"c{i:04d}", "name": f"干部{i}", "township": "甲乡", "post": "干事", "duties": "值班",
               "phone": f"100-0000-{i:04d}"} for i in range(cadres)]
    (root / "content" / "cadres.yaml").write_text(yaml.safe_dump(roster, allow_unicode=True), "utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def cadre_session(url: str, cadre: str, pin: str, gate: asyncio.Event, timings: dict[str, list[float]],
                        ready: list[int], release_at: dict[str, float]) -> str:
    async with httpx.AsyncClient(base_url=url, headers={"Origin": url}, timeout=120) as client:
        t = time.perf_counter()
        r = await client.post("/api/session", json={"cadre_id": cadre, "pin": pin})
        r.raise_for_status()
        timings["sign in"].append(time.perf_counter() - t)
        csrf = {"X-CSRF-Token": r.json()["csrf_token"]}
        t = time.perf_counter()
        r = await client.post("/api/attempts", json={"skill_id": "alpha", "level": 1}, headers=csrf)
        r.raise_for_status()
        timings["start"].append(time.perf_counter() - t)
        attempt = r.json()
        responses = {q["id"]: "true" for q in attempt["questions"]}
        t = time.perf_counter()
        r = await client.put(f"/api/attempts/{attempt['attempt_id']}/responses", json={"responses": responses}, headers=csrf)
        r.raise_for_status()
        timings["autosave"].append(time.perf_counter() - t)
        ready.append(1)
        await gate.wait()
        # Open loop: each cadre submits at its own moment (a steady rate), or all at once (a burst).
        delay = release_at.get(cadre, 0.0) - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        t = time.perf_counter()
        r = await client.post(f"/api/attempts/{attempt['attempt_id']}/submit", json={"responses": responses}, headers=csrf)
        r.raise_for_status()
        timings["submit"].append(time.perf_counter() - t)
        timings["submit_end"].append(time.perf_counter())
        return str(attempt["attempt_id"])


async def drive(url: str, pins: dict[str, str], rate: float) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {k: [] for k in ("sign in", "start", "autosave", "submit", "submit_end")}
    gate = asyncio.Event()
    ready: list[int] = []
    release_at: dict[str, float] = {}
    tasks = [asyncio.create_task(cadre_session(url, c, p, gate, timings, ready, release_at)) for c, p in pins.items()]
    while len(ready) < len(tasks):
        await asyncio.sleep(0.05)
        failed = [t for t in tasks if t.done() and t.exception()]
        if failed:
            raise failed[0].exception()  # type: ignore[misc]
    start = time.perf_counter() + 0.2
    if rate > 0:
        for i, cadre in enumerate(pins):
            release_at[cadre] = start + i / rate
    timings["burst_start"] = [start]
    gate.set()
    await asyncio.gather(*tasks)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cadres", type=int, default=500)
    parser.add_argument("--ledger", default=None, help="postgresql://… to run on PostgreSQL (default: SQLite)")
    parser.add_argument("--rate", type=float, default=300.0,
                        help="submissions released per second (0: all at once, a burst)  [default: 300]")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from generator.exams.accounts import issue_pins
    from generator.project import load_project
    from generator.render.site import build_site
    from generator.store.db import Database, ledger_url

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        make_project(root, args.cadres)
        build_site(root)
        project = load_project(root)
        db = Database(ledger_url(root, args.ledger))
        started = time.perf_counter()
        pins = {c.id: pin for c, pin in issue_pins(db, list(project.cadres), __import__("datetime").datetime.now(
            __import__("datetime").UTC))}
        hashing = time.perf_counter() - started
        db.close()
        port = free_port()
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        command = [sys.executable, "-m", "generator", "serve", "--project", str(root), "--port", str(port)]
        if args.ledger:
            command += ["--ledger", args.ledger]
        server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    httpx.get(url + "/", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.05)
            timings = asyncio.run(drive(url, pins, args.rate))
        finally:
            server.terminate()
            server.wait(timeout=20)
        burst = max(timings["submit_end"]) - timings["burst_start"][0]
        check = subprocess.run([sys.executable, "-m", "generator", "ledger", "verify", "--project", str(root)]
                               + (["--ledger", args.ledger] if args.ledger else []), env=env, capture_output=True, text=True)
        db = Database(ledger_url(root, args.ledger))
        graded = db.one("SELECT COUNT(*), SUM(passed) FROM attempts WHERE submitted_at IS NOT NULL")
        distinct = ("COUNT(DISTINCT (entry::json->>'attempt_id'))" if args.ledger
                    else "COUNT(DISTINCT json_extract(entry, '$.attempt_id'))")
        entries = db.one(f"SELECT COUNT(*), {distinct} FROM ledger")
    backend = "PostgreSQL" if args.ledger else "SQLite"
    print(f"\n{args.cadres} concurrent cadres on {backend}, one uvicorn process, {os.cpu_count()} cores")
    print(f"PINs hashed (scrypt, setup): {hashing:.1f} s")
    print("| phase | p50 | p99 | max |\n|---|---|---|---|")
    for phase in ("sign in", "start", "autosave", "submit"):
        values = timings[phase]
        p50, p99, top = statistics.median(values) * 1000, pct(values, 99) * 1000, max(values) * 1000
        print(f"| {phase} | {p50:.0f} ms | {p99:.0f} ms | {top:.0f} ms |")
    offered = f"offered at {args.rate:.0f}/s" if args.rate > 0 else "all released at once"
    print(f"submissions ({offered}): {len(timings['submit'])} in {burst:.2f} s = {len(timings['submit']) / burst:.0f} per second")
    print(f"graded attempts: {graded[0] if graded else 0} (passed {graded[1] if graded else 0}); ledger entries: {entries}")
    print(f"ledger verify: {check.stdout.strip() or check.stderr.strip()}")


if __name__ == "__main__":
    main()
