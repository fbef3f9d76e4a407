"""The certificate ledger on SQLite and on PostgreSQL: append-only, verifiable, exactly once."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.errors import CadreError
from generator.ledger.log import Ledger
from generator.ledger.merkle import inclusion_proof, leaf_hash, verify_inclusion
from generator.ledger.signing import canonical, verify_tree_head
from generator.store.db import Database

from .conftest import MakeProject

NOW = dt.datetime(2026, 11, 22, 3, 0, 5, tzinfo=dt.UTC)


def issue(ledger: Ledger, cadre: str = "c1", skill: str = "alpha", level: int = 1, when: dt.datetime = NOW) -> dict[str, object]:
    return ledger.issue_or_renew(
        cadre_id=cadre, cadre_name="林雪梅", skill_id=skill, skill_title="甲技能", level=level, score="80.0",
        issuer="乡镇", validity_years=3, attempt_id=f"A-{cadre}-{skill}-{level}", now=when,
    )


def test_issue_renew_revoke_and_verify(store_url: str, tmp_path: Path) -> None:
    ledger = Ledger(Database(store_url), tmp_path / "keys", "QX")
    first = issue(ledger)
    assert first["cert_id"] == "QX-2026-000000" and first["type"] == "issue"
    assert first["issued_at"] == "2026-11-22T03:00:05Z" and first["expires_at"] == "2029-11-22T03:00:05Z"
    renew = issue(ledger, when=NOW + dt.timedelta(days=400))
    assert (renew["type"], renew["cert_id"], renew["seq"]) == ("renew", "QX-2026-000000", 1)
    other = issue(ledger, skill="beta")
    assert other["cert_id"] == "QX-2026-000002"
    revoke = ledger.revoke("QX-2026-000002", "调离岗位", NOW)
    assert revoke["type"] == "revoke" and revoke["reason"] == "调离岗位"
    with pytest.raises(CadreError, match="already revoked"):
        ledger.revoke("QX-2026-000002", "again", NOW)
    states = {c.cert_id: c.status(NOW) for c in ledger.certificates()}
    assert states == {"QX-2026-000000": "valid", "QX-2026-000002": "revoked"}
    assert ledger.certificate("QX-2026-000000").status(NOW + dt.timedelta(days=400 + 3 * 366)) == "expired"  # type: ignore[union-attr]
    report = ledger.verify()
    assert report.ok and report.entries == 4 and report.tree_heads == 4
    sth = ledger.tree_head()
    assert sth is not None
    row = ledger.db.one("SELECT value FROM meta WHERE key = 'public_key'")
    assert row is not None and verify_tree_head(sth, row[0])
    leaves = ledger.leaf_hashes()
    for index, entry in enumerate(ledger.entries()):
        assert leaves[index] == leaf_hash(canonical(entry))
        proof = inclusion_proof(index, leaves)
        assert verify_inclusion(index, len(leaves), leaves[index], proof, bytes.fromhex(sth["root_hash"]))


def test_a_changed_byte_is_named_by_verify(store_url: str, tmp_path: Path) -> None:
    db = Database(store_url)
    ledger = Ledger(db, tmp_path / "keys", "QX")
    for skill in ("a", "b", "c", "d"):
        issue(ledger, skill=skill)
    with db.transaction():
        db.execute("UPDATE ledger SET entry = replace(entry, '80.0', '99.0') WHERE seq = 2")
    report = ledger.verify()
    assert not report.ok and report.seq == 2
    assert report.problem == "entry 2: its content does not match its leaf hash (the entry was changed)"


def test_a_deleted_row_is_named_by_verify(store_url: str, tmp_path: Path) -> None:
    db = Database(store_url)
    ledger = Ledger(db, tmp_path / "keys", "QX")
    for skill in ("a", "b", "c"):
        issue(ledger, skill=skill)
    with db.transaction():
        db.execute("DELETE FROM ledger WHERE seq = 1")
    assert ledger.verify().problem == "entry 1 is missing (found 2 next)"


def test_two_servers_appending_at_once_never_share_a_seq(store_url: str, tmp_path: Path) -> None:
    """Two Ledger objects on one database, as two exam servers would be, appending in parallel."""
    keys = tmp_path / "keys"
    first = Ledger(Database(store_url), keys, "QX")
    issue(first, skill="warm-up")
    second = Ledger(Database(store_url), keys, "QX")
    errors: list[BaseException] = []

    def run(ledger: Ledger, name: str) -> None:
        try:
            for i in range(25):
                issue(ledger, cadre=f"{name}{i}")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(lg, n)) for lg, n in ((first, "x"), (second, "y"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    entries = first.entries()
    assert [e["seq"] for e in entries] == list(range(51))
    assert len({e["cert_id"] for e in entries}) == 51
    assert first.verify().ok and second.verify().ok


def test_a_server_with_another_key_is_refused(store_url: str, tmp_path: Path) -> None:
    issue(Ledger(Database(store_url), tmp_path / "one", "QX"))
    with pytest.raises(CadreError, match="is not the key of this ledger"):
        issue(Ledger(Database(store_url), tmp_path / "two", "QX"), skill="beta")


def test_cli_verify_export_list_and_revoke(make_project: MakeProject) -> None:
    root = make_project()
    ledger = Ledger(Database(str(root / "data" / "ledger.sqlite3")), root / "data", "CERT")
    for skill in ("a", "b", "c"):
        issue(ledger, skill=skill)
    runner = CliRunner()
    ok = runner.invoke(main, ["ledger", "verify", "-p", str(root)], catch_exceptions=False)
    assert ok.exit_code == 0 and ok.output.startswith("OK: 3 entries and 3 signed tree heads verified")
    listed = runner.invoke(main, ["ledger", "list", "-p", str(root)], catch_exceptions=False)
    assert listed.output.count("CERT-2026-") == 3
    revoked = runner.invoke(main, ["ledger", "revoke", "CERT-2026-000001", "--reason", "调离", "-p", str(root)], catch_exceptions=False)
    assert revoked.exit_code == 0
    assert "revoked" in runner.invoke(main, ["ledger", "show", "CERT-2026-000001", "-p", str(root)], catch_exceptions=False).output
    out = root / "export.csv"
    runner.invoke(main, ["ledger", "export", "--out", str(out), "-p", str(root)], catch_exceptions=False)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "林雪梅".encode() in data and data.count(b"\n") == 5
    with ledger.db.transaction():
        ledger.db.execute("UPDATE ledger SET entry = replace(entry, '林雪梅', '林雪海') WHERE seq = 1")
    bad = runner.invoke(main, ["ledger", "verify", "-p", str(root)], catch_exceptions=False)
    assert bad.exit_code == 1
    assert "entry 1: its content does not match its leaf hash" in bad.output


def test_commands_on_a_missing_ledger_say_so(make_project: MakeProject) -> None:
    result = CliRunner().invoke(main, ["ledger", "verify", "-p", str(make_project())], catch_exceptions=False)
    assert result.exit_code == 2 and "no ledger at" in result.output
