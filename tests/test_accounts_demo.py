"""PIN accounts and slips; the demonstration ledger and its banner."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from generator.exams.accounts import check_pin, sign_in
from generator.exams.context import open_ledger
from generator.project import load_project
from generator.store.db import Database

from .conftest import REPO, MakeProject
from .examproject import FILES


def test_accounts_issue_writes_slips_and_stores_only_hashes(make_project: MakeProject, tmp_path: Path) -> None:
    root = make_project(FILES)
    csv_path = tmp_path / "pins.csv"
    result = CliRunner().invoke(main, ["accounts", "issue", "--township", "云溪乡", "--csv", str(csv_path), "-p", str(root)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = csv_path.read_bytes().decode("utf-8-sig").splitlines()
    assert rows[0] == "id,name,pin" and len(rows) == 3
    pins = {line.split(",")[0]: line.split(",")[2] for line in rows[1:]}
    slips = (root / "data" / "pin-slips.html").read_text("utf-8")
    assert "林雪梅" in slips and pins["c1"] in slips and "张小兰" not in slips
    db = Database(str(root / "data" / "ledger.sqlite3"))
    stored = dict(db.query("SELECT cadre_id, pin_hash FROM accounts"))
    assert set(stored) == {"c1", "c2"}
    assert all(pin not in stored[cid] and stored[cid].startswith("scrypt$") for cid, pin in pins.items())
    assert check_pin(pins["c1"], stored["c1"]) and not check_pin("000000", stored["c1"])
    assert sign_in(db, "c1", pins["c1"], dt.datetime.now(dt.UTC)).ok
    assert not (root / "site").exists() or "pin" not in " ".join(p.name for p in (root / "site").rglob("*"))


def test_accounts_issue_refuses_an_unknown_township(make_project: MakeProject) -> None:
    result = CliRunner().invoke(main, ["accounts", "issue", "--township", "无名乡", "-p", str(make_project(FILES))],
                                catch_exceptions=False)
    assert result.exit_code == 2 and "no cadre in township '无名乡'" in result.output


def test_demo_build_has_a_banner_everywhere_and_leaves_the_real_ledger_alone(tmp_path: Path) -> None:
    project = load_project(REPO)
    real = REPO / "data" / "ledger.sqlite3"
    existed = real.exists()
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", "--demo", "-q", "-p", str(REPO), "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert real.exists() == existed
    pages = list(out.rglob("*.html"))
    missing = [p for p in pages if 'class="demo-banner"' not in p.read_text("utf-8")]
    assert missing == []
    ledger = open_ledger(project, demo=True, must_exist=True)
    assert ledger is not None and ledger.verify().ok
    certs = ledger.certificates()
    as_of = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
    statuses = Counter(c.status(as_of) for c in certs)
    levels = Counter(c.level for c in certs)
    assert statuses["revoked"] == 1 and statuses["expired"] == 1 and statuses["valid"] > 100
    assert levels[1] > levels[2] > levels[3] > 0
    failed = ledger.db.one("SELECT COUNT(*) FROM attempts WHERE passed = 0")
    assert failed is not None and failed[0] > 0
    assert len(list((out / "ledger" / "certs").glob("*.json"))) == len(certs)
