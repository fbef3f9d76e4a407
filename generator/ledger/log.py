"""The certificate ledger: append-only issue, renew and revoke entries, signed tree heads, verify.

Entries are stored as their canonical bytes (SPEC §7) with their leaf hash; a signed tree head is
recorded after every append. Appends are serialised (SQLite's write lock, PostgreSQL's advisory
lock), so two exam servers sharing a PostgreSQL ledger never assign the same sequence number.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import CadreError
from ..store.db import Database
from .merkle import Tree, leaf_hash
from .signing import Signer, canonical, rfc3339, sign_tree_head, verify_tree_head

ENTRY_TYPES = ("issue", "renew", "revoke")


@dataclass(frozen=True)
class Certificate:
    """A certificate's current state: its latest issue or renew entry, and any revocation."""

    cert_id: str
    entry: dict[str, Any]
    seq: int
    revocation: dict[str, Any] | None = None

    def status(self, now: dt.datetime) -> str:
        """Return 'revoked', 'expired' or 'valid'."""
        if self.revocation is not None:
            return "revoked"
        return "expired" if parse_time(self.entry["expires_at"]) < now else "valid"

    @property
    def cadre_id(self) -> str:
        return str(self.entry["cadre_id"])

    @property
    def skill_id(self) -> str:
        return str(self.entry["skill_id"])

    @property
    def level(self) -> int:
        return int(self.entry["level"])


@dataclass(frozen=True)
class VerifyReport:
    entries: int
    tree_heads: int
    problem: str = ""
    seq: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problem


def parse_time(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)


def add_years(moment: dt.datetime, years: int) -> dt.datetime:
    """Return the same moment `years` later (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)


class Ledger:
    """The ledger in one database, signed with the key in `key_dir`."""

    def __init__(self, db: Database, key_dir: Path, prefix: str = "CERT") -> None:
        self.db = db
        self.key_dir = key_dir
        self.prefix = prefix
        self._signer: Signer | None = None
        self._tree = Tree()
        self._tree_lock = threading.Lock()

    @property
    def signer(self) -> Signer:
        if self._signer is None:
            self._signer = Signer.load_or_create(self.key_dir)
        return self._signer

    def _check_key(self) -> None:
        """Every server appending to one ledger must sign with the same key."""
        row = self.db.one("SELECT value FROM meta WHERE key = 'public_key'")
        mine = self.signer.public_key_b64
        if row is None:
            self.db.execute("INSERT INTO meta (key, value) VALUES ('public_key', ?)", (mine,))
        elif row[0] != mine:
            raise CadreError(
                f"the signing key in {self.key_dir} is not the key of this ledger; copy the ledger's "
                "data/ledger-key.pem to every exam server"
            )

    def _synced_tree(self) -> Tree:
        """Return the Merkle tree of every stored entry, reading only what was appended since."""
        with self._tree_lock:
            rows = self.db.query("SELECT leaf_hash FROM ledger WHERE seq >= ? ORDER BY seq", (self._tree.size,))
            for (leaf,) in rows:
                self._tree.append(bytes.fromhex(leaf))
            return self._tree

    def append(self, fields: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
        """Append one entry (inside the caller's transaction if there is one); return it with seq and cert_id."""
        if fields.get("type") not in ENTRY_TYPES:
            raise ValueError(f"unknown ledger entry type {fields.get('type')!r}")
        with self.db.transaction(ledger=True):
            self._check_key()
            # MAX over the primary key is an index lookup; COUNT(*) would scan the whole ledger.
            row = self.db.one("SELECT MAX(seq) FROM ledger")
            seq = int(row[0]) + 1 if row and row[0] is not None else 0
            entry = dict(fields, seq=seq)
            if entry["type"] == "issue":
                entry["cert_id"] = f"{self.prefix}-{now.year}-{seq:06d}"
            data = canonical(entry)
            leaf = leaf_hash(data)
            self.db.execute(
                "INSERT INTO ledger (seq, type, cert_id, cadre_id, skill_id, level, entry, leaf_hash) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (seq, entry["type"], entry["cert_id"], entry["cadre_id"], entry["skill_id"], int(entry["level"]),
                 data.decode("utf-8"), leaf.hex()),
            )
            tree = self._synced_tree()
            if tree.size != seq + 1:
                # Another server appended meanwhile: rebuild from the database, which is the truth.
                with self._tree_lock:
                    self._tree = Tree()
                tree = self._synced_tree()
            sth = sign_tree_head(self.signer, tree.size, tree.root(), rfc3339(now))
            self.db.execute(
                "INSERT INTO tree_heads (tree_size, root_hash, timestamp, signature) VALUES (?, ?, ?, ?)",
                (sth["tree_size"], sth["root_hash"], sth["timestamp"], sth["signature"]),
            )
        return entry

    def issue_or_renew(
        self, *, cadre_id: str, cadre_name: str, skill_id: str, skill_title: str, level: int, score: str,
        issuer: str, validity_years: int, attempt_id: str, now: dt.datetime,
    ) -> dict[str, Any]:
        """Record a pass: renew the cadre's unrevoked certificate at this skill and level, else issue one."""
        with self.db.transaction(ledger=True):
            held = self._fold(self.db.query(
                "SELECT entry FROM ledger WHERE cadre_id = ? AND skill_id = ? AND level = ? ORDER BY seq",
                (cadre_id, skill_id, level),
            ))
            current = next((c for c in held if c.revocation is None), None)
            issued = now.replace(microsecond=0)
            fields = {
                "type": "renew" if current else "issue",
                "cert_id": current.cert_id if current else "",
                "cadre_id": cadre_id, "cadre_name": cadre_name, "skill_id": skill_id, "skill_title": skill_title,
                "level": level, "score": score, "issued_at": rfc3339(issued),
                "expires_at": rfc3339(add_years(issued, validity_years)), "issuer": issuer, "attempt_id": attempt_id,
            }
            return self.append(fields, now)

    def revoke(self, cert_id: str, reason: str, now: dt.datetime) -> dict[str, Any]:
        """Revoke a certificate; its revoke entry records when (issued_at) and why (reason)."""
        if not reason.strip():
            raise CadreError("a revocation needs a reason (--reason)")
        with self.db.transaction(ledger=True):
            cert = self.certificate(cert_id)
            if cert is None:
                raise CadreError(f"no certificate {cert_id} in the ledger")
            if cert.revocation is not None:
                raise CadreError(f"certificate {cert_id} was already revoked (entry {cert.revocation['seq']})")
            fields = {k: v for k, v in cert.entry.items() if k != "seq"}
            fields.update(type="revoke", issued_at=rfc3339(now.replace(microsecond=0)), reason=reason.strip())
            return self.append(fields, now)

    def entries(self) -> list[dict[str, Any]]:
        """Return every entry in sequence order."""
        return [json.loads(text) for (text,) in self.db.query("SELECT entry FROM ledger ORDER BY seq")]

    def certificates(self) -> list[Certificate]:
        """Return every certificate's current state, in order of first issue."""
        return self._fold(self.db.query("SELECT entry FROM ledger ORDER BY seq"))

    def certificates_of(self, cadre_id: str) -> list[Certificate]:
        """Return one cadre's certificates (an indexed read, not the whole ledger)."""
        return self._fold(self.db.query("SELECT entry FROM ledger WHERE cadre_id = ? ORDER BY seq", (cadre_id,)))

    @staticmethod
    def _fold(rows: list[tuple[Any, ...]]) -> list[Certificate]:
        """Fold entries, in sequence order, into each certificate's current state."""
        certs: dict[str, Certificate] = {}
        for (text,) in rows:
            entry = json.loads(text)
            cid = entry["cert_id"]
            if entry["type"] in ("issue", "renew"):
                certs[cid] = Certificate(cid, entry, entry["seq"])
            elif cid in certs:
                old = certs[cid]
                certs[cid] = Certificate(cid, old.entry, old.seq, entry)
        return list(certs.values())

    def certificate(self, cert_id: str) -> Certificate | None:
        found = self._fold(self.db.query("SELECT entry FROM ledger WHERE cert_id = ? ORDER BY seq", (cert_id,)))
        return found[0] if found else None

    def tree_head(self) -> dict[str, Any] | None:
        """Return the latest signed tree head."""
        row = self.db.one("SELECT tree_size, root_hash, timestamp, signature FROM tree_heads ORDER BY tree_size DESC LIMIT 1")
        if row is None:
            return None
        return {"tree_size": int(row[0]), "root_hash": row[1], "timestamp": row[2], "signature": row[3]}

    def leaf_hashes(self) -> list[bytes]:
        return [bytes.fromhex(h) for (h,) in self.db.query("SELECT leaf_hash FROM ledger ORDER BY seq")]

    def verify(self) -> VerifyReport:
        """Recompute every leaf and every signed root; name the first entry that differs."""
        rows = self.db.query("SELECT seq, type, cert_id, entry, leaf_hash, cadre_id, skill_id, level FROM ledger ORDER BY seq")
        heads = self.db.query("SELECT tree_size, root_hash, timestamp, signature FROM tree_heads ORDER BY tree_size")
        key = self.db.one("SELECT value FROM meta WHERE key = 'public_key'")
        leaves: list[bytes] = []
        for expected_seq, (seq, kind, cert_id, text, stored_leaf, cadre_id, skill_id, level) in enumerate(rows):
            def bad(why: str, seq: int = int(seq)) -> VerifyReport:
                return VerifyReport(len(rows), len(heads), f"entry {seq}: {why}", seq)

            if seq != expected_seq:
                return VerifyReport(len(rows), len(heads), f"entry {expected_seq} is missing (found {seq} next)", expected_seq)
            try:
                entry = json.loads(text)
            except ValueError:
                return bad("the stored entry is not JSON")
            if canonical(entry).decode("utf-8") != text:
                return bad("the stored entry is not in canonical form")
            if (entry.get("seq"), entry.get("type"), entry.get("cert_id"), entry.get("cadre_id"), entry.get("skill_id"),
                    entry.get("level")) != (seq, kind, cert_id, cadre_id, skill_id, int(level)):
                return bad("the entry differs from the columns its row is found by")
            leaf = leaf_hash(text.encode("utf-8"))
            if leaf.hex() != stored_leaf:
                return bad("its content does not match its leaf hash (the entry was changed)")
            leaves.append(leaf)
        tree = Tree()
        for size, root, timestamp, signature in heads:
            if size > len(leaves):
                problem = f"tree head {size} is larger than the ledger ({len(leaves)} entries)"
                return VerifyReport(len(rows), len(heads), problem, len(leaves))
            while tree.size < size:
                tree.append(leaves[tree.size])
            if tree.root().hex() != root:
                problem = f"entry {size - 1}: the signed tree head of size {size} does not match the entries"
                return VerifyReport(len(rows), len(heads), problem, size - 1)
            sth = {"tree_size": size, "root_hash": root, "timestamp": timestamp, "signature": signature}
            if key is None or not verify_tree_head(sth, key[0]):
                return VerifyReport(len(rows), len(heads), f"tree head {size}: the signature does not verify", size - 1)
        if rows and (not heads or heads[-1][0] != len(rows)):
            unsigned = len(rows) - (heads[-1][0] if heads else 0)
            return VerifyReport(len(rows), len(heads), f"the last {unsigned} entries have no signed tree head", len(rows) - 1)
        return VerifyReport(len(rows), len(heads))


def proficiency(certificates: list[Certificate], as_of: dt.datetime) -> dict[tuple[str, str], int]:
    """Return each (cadre, skill)'s highest level with a valid certificate at `as_of` (SPEC §6)."""
    best: dict[tuple[str, str], int] = {}
    for cert in certificates:
        if cert.status(as_of) == "valid":
            key = (cert.cadre_id, cert.skill_id)
            best[key] = max(best.get(key, 0), cert.level)
    return best
