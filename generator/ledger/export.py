"""Reading the ledger out: listing certificates and exporting entries for Excel/WPS or for audit."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from .log import Certificate, Ledger

COLUMNS = ("seq", "type", "cert_id", "cadre_id", "cadre_name", "skill_id", "skill_title", "level", "score",
           "issued_at", "expires_at", "issuer", "attempt_id", "reason")


def export_csv(ledger: Ledger) -> bytes:
    """Return every entry as CSV, UTF-8 with BOM, so Excel and WPS open the Chinese right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for entry in ledger.entries():
        writer.writerow([entry.get(c, "") for c in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def export_json(ledger: Ledger) -> bytes:
    """Return the entries and the latest signed tree head, for an auditor to recompute."""
    data: dict[str, Any] = {"entries": ledger.entries(), "sth": ledger.tree_head()}
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def select(
    certs: list[Certificate], now: dt.datetime, status: str, skill: str | None, cadres: set[str] | None
) -> list[Certificate]:
    """Return the certificates matching a status ('all' for any), a skill and a set of cadre ids."""
    return [
        c for c in certs
        if (status == "all" or c.status(now) == status)
        and (skill is None or c.skill_id == skill)
        and (cadres is None or c.cadre_id in cadres)
    ]
