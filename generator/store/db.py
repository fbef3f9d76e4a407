"""One data layer on SQLite (the default) or PostgreSQL, with the same SQL and a versioned schema.

SQL is written once with `?` placeholders; the PostgreSQL connection rewrites them to `%s`. Every
write happens inside `transaction()`: SQLite takes its write lock at the start (BEGIN IMMEDIATE),
PostgreSQL serialises ledger appends with an advisory lock, so two exam servers never assign the
same sequence number.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import CadreError

SCHEMA_VERSION = 1

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS accounts (
        cadre_id TEXT PRIMARY KEY, pin_hash TEXT NOT NULL, issued_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS lockouts (
        cadre_id TEXT PRIMARY KEY, failures INTEGER NOT NULL, locked_until TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS sessions (
        token_hash TEXT PRIMARY KEY, cadre_id TEXT NOT NULL, csrf TEXT NOT NULL,
        created_at TEXT NOT NULL, expires_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS attempts (
        id TEXT PRIMARY KEY, cadre_id TEXT NOT NULL, skill_id TEXT NOT NULL, level INTEGER NOT NULL,
        source TEXT NOT NULL, questions TEXT NOT NULL, started_at TEXT NOT NULL, deadline TEXT NOT NULL,
        responses TEXT NOT NULL, saved_at TEXT, submitted_at TEXT, earned TEXT, possible TEXT,
        score TEXT, passed INTEGER, result TEXT)""",
    """CREATE INDEX IF NOT EXISTS attempts_by_cadre ON attempts (cadre_id, skill_id, level)""",
    """CREATE TABLE IF NOT EXISTS ledger (
        seq INTEGER PRIMARY KEY, type TEXT NOT NULL, cert_id TEXT NOT NULL, cadre_id TEXT NOT NULL,
        skill_id TEXT NOT NULL, level INTEGER NOT NULL, entry TEXT NOT NULL, leaf_hash TEXT NOT NULL)""",
    """CREATE INDEX IF NOT EXISTS ledger_by_cert ON ledger (cert_id)""",
    """CREATE INDEX IF NOT EXISTS ledger_by_holder ON ledger (cadre_id, skill_id, level)""",
    """CREATE TABLE IF NOT EXISTS tree_heads (
        tree_size INTEGER PRIMARY KEY, root_hash TEXT NOT NULL, timestamp TEXT NOT NULL, signature TEXT NOT NULL)""",
]


class Database:
    """A connection to the store; `url` is a SQLite file path or a postgresql:// URL."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.postgres = url.startswith(("postgresql://", "postgres://"))
        self.read_only = False
        self._local = threading.local()
        self._lock = threading.RLock()
        if not self.postgres:
            Path(url).parent.mkdir(parents=True, exist_ok=True)
        self._migrate()

    # Connections are per thread: sqlite3 objects must stay in the thread that made them.
    def _connection(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
        return conn

    def _connect(self) -> Any:
        if self.postgres:
            try:
                import psycopg
            except ImportError as exc:  # pragma: no cover - an optional dependency
                raise CadreError("a PostgreSQL ledger needs psycopg: pip install 'cadre[postgres]'") from exc
            try:
                return psycopg.connect(self.url, autocommit=True)
            except psycopg.Error as exc:
                raise CadreError(f"cannot connect to the PostgreSQL ledger: {str(exc).strip()}") from exc
        try:
            conn = sqlite3.connect(self.url, timeout=30, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:
            if not Path(self.url).is_file():
                raise CadreError(f"cannot open the ledger database {self.url}: {exc}") from exc
            # A read-only folder or medium: WAL cannot start there, but the ledger can still be
            # read (and verified); any write then says why it cannot happen.
            try:
                conn = sqlite3.connect(f"{Path(self.url).as_uri()}?mode=ro&immutable=1", uri=True,
                                       isolation_level=None, check_same_thread=False)
                conn.execute("SELECT 1 FROM sqlite_master LIMIT 1")
            except sqlite3.Error:
                raise CadreError(f"cannot open the ledger database {self.url}: {exc}") from exc
            self.read_only = True
        return conn

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.postgres else sql

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Return every row of a read."""
        cur = self._connection().execute(self._sql(sql), tuple(params))
        rows = cur.fetchall()
        return [tuple(r) for r in rows]

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement (inside a transaction for writes); return the rows it changed."""
        cur = self._connection().execute(self._sql(sql), tuple(params))
        return int(cur.rowcount or 0)

    @contextmanager
    def transaction(self, ledger: bool = False) -> Iterator[Database]:
        """Run the block as one transaction; `ledger` also serialises ledger appends across servers."""
        conn = self._connection()
        depth = getattr(self._local, "depth", 0)
        if depth:
            self._local.depth = depth + 1
            try:
                yield self
            finally:
                self._local.depth = depth
            return
        if self.read_only:
            raise CadreError(f"the ledger database {self.url} cannot be written: {self._why_read_only()}")
        self._local.depth = 1
        try:
            if self.postgres:
                conn.execute("BEGIN")
                if ledger:
                    conn.execute("SELECT pg_advisory_xact_lock(6962)")
            else:
                conn.execute("BEGIN IMMEDIATE")
            try:
                yield self
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except (sqlite3.OperationalError, sqlite3.DatabaseError) as exc:
            raise CadreError(f"the ledger database {self.url} cannot be written: {exc}") from exc
        finally:
            self._local.depth = 0

    def _current_version(self) -> int | None:
        try:
            row = self.one("SELECT value FROM meta WHERE key = 'schema_version'")
        except Exception:  # no meta table yet (sqlite3 and psycopg raise different types)
            return None
        return int(row[0]) if row else None

    def _why_read_only(self) -> str:
        stat = os.statvfs(Path(self.url).parent)
        free = stat.f_bavail * stat.f_frsize
        if free < 256 * 1024:
            return "database or disk is full (free some space on the disk holding data/)"
        return "its folder is read-only (check the mount and the permissions of data/)"

    def _migrate(self) -> None:
        # A store already at this version is only read, so a read-only ledger can still be verified.
        if self._current_version() == SCHEMA_VERSION:
            return
        with self.transaction():
            for statement in SCHEMA:
                self.execute(statement)
            row = self.one("SELECT value FROM meta WHERE key = 'schema_version'")
            if row is None:
                self.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            elif int(row[0]) > SCHEMA_VERSION:
                raise CadreError(
                    f"the ledger at {self.url} has schema version {row[0]}, newer than this cadre "
                    f"understands ({SCHEMA_VERSION}); upgrade cadre"
                )

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


def ledger_url(project_root: Path, option: str | None = None, demo: bool = False) -> str:
    """Return where the ledger lives: --ledger, else CADRE_LEDGER, else data/ledger.sqlite3."""
    if demo:
        return str(project_root / "data" / "demo-ledger.sqlite3")
    value = option or os.environ.get("CADRE_LEDGER") or ""
    if value:
        return value if value.startswith(("postgresql://", "postgres://")) else str(Path(value).resolve())
    return str(project_root / "data" / "ledger.sqlite3")


def ledger_exists(url: str) -> bool:
    """Whether a ledger is there to read (PostgreSQL: assumed; SQLite: the file exists)."""
    return url.startswith(("postgresql://", "postgres://")) or Path(url).is_file()
