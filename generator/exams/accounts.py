"""Cadre accounts: PINs stored only as slow salted hashes, sign-in lockout, and sessions."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from ..content.models import Cadre
from ..store.db import Database

# scrypt with N=2^14, r=8: about 16 MiB and tens of milliseconds per guess, so a stolen table is slow
# to search even for six-digit PINs, while one sign-in stays cheap for the server.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
PIN_DIGITS = 6
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
SESSION_HOURS = 12


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    """Return 'scrypt$N$r$p$salt$hash' for a PIN."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return "$".join(["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P),
                     base64.b64encode(salt).decode(), base64.b64encode(digest).decode()])


def check_pin(pin: str, stored: str) -> bool:
    """Whether `pin` matches a stored hash, in constant time."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(pin.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=32)
        return hmac.compare_digest(got, base64.b64decode(digest))
    except (ValueError, TypeError):
        return False


_DUMMY = hash_pin("000000", b"\0" * 16)


def new_pin() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(PIN_DIGITS))


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_iso(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)


def issue_pins(
    db: Database, cadres: list[Cadre], now: dt.datetime, progress: Callable[[str], None] = lambda cadre_id: None
) -> list[tuple[Cadre, str]]:
    """Give each cadre a new PIN (replacing any old one); return the PINs, which are stored nowhere."""
    issued = [(cadre, new_pin()) for cadre in cadres]
    hashed = []
    for cadre, pin in issued:
        hashed.append((cadre.id, hash_pin(pin)))  # deliberately slow: tens of milliseconds each
        progress(cadre.id)
    with db.transaction():
        for cadre_id, pin_hash in hashed:
            db.execute("DELETE FROM accounts WHERE cadre_id = ?", (cadre_id,))
            db.execute("INSERT INTO accounts (cadre_id, pin_hash, issued_at) VALUES (?, ?, ?)", (cadre_id, pin_hash, iso(now)))
            db.execute("DELETE FROM lockouts WHERE cadre_id = ?", (cadre_id,))
    return issued


@dataclass(frozen=True)
class SignIn:
    ok: bool
    retry_after: int = 0


def sign_in(db: Database, cadre_id: str, pin: str, now: dt.datetime) -> SignIn:
    """Check a PIN with lockout: after MAX_FAILURES wrong PINs the id is locked for LOCKOUT."""
    row = db.one("SELECT failures, locked_until FROM lockouts WHERE cadre_id = ?", (cadre_id,))
    if row and from_iso(row[1]) > now:
        return SignIn(False, max(1, int((from_iso(row[1]) - now).total_seconds())))
    account = db.one("SELECT pin_hash FROM accounts WHERE cadre_id = ?", (cadre_id,))
    # Hash even for an unknown id, so timing does not tell which ids exist.
    good = check_pin(pin, account[0] if account else _DUMMY) and account is not None
    with db.transaction():
        if good:
            db.execute("DELETE FROM lockouts WHERE cadre_id = ?", (cadre_id,))
            return SignIn(True)
        failures = (int(row[0]) if row and from_iso(row[1]) <= now and row[0] < MAX_FAILURES else 0) + 1
        locked = now + LOCKOUT if failures >= MAX_FAILURES else now
        db.execute("DELETE FROM lockouts WHERE cadre_id = ?", (cadre_id,))
        db.execute("INSERT INTO lockouts (cadre_id, failures, locked_until) VALUES (?, ?, ?)", (cadre_id, failures, iso(locked)))
    return SignIn(False, int(LOCKOUT.total_seconds()) if failures >= MAX_FAILURES else 0)


@dataclass(frozen=True)
class Session:
    cadre_id: str
    csrf: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(db: Database, cadre_id: str, now: dt.datetime, old_token: str | None = None) -> tuple[str, str]:
    """Start a session (dropping the one presented, so a planted cookie is never kept); return (token, csrf)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    with db.transaction():
        if old_token:
            db.execute("DELETE FROM sessions WHERE token_hash = ?", (_digest(old_token),))
        db.execute("DELETE FROM sessions WHERE expires_at < ?", (iso(now),))
        db.execute(
            "INSERT INTO sessions (token_hash, cadre_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
            (_digest(token), cadre_id, csrf, iso(now), iso(now + dt.timedelta(hours=SESSION_HOURS))),
        )
    return token, csrf


def find_session(db: Database, token: str | None, now: dt.datetime) -> Session | None:
    if not token:
        return None
    row = db.one("SELECT cadre_id, csrf, expires_at FROM sessions WHERE token_hash = ?", (_digest(token),))
    if row is None or from_iso(row[2]) <= now:
        return None
    return Session(row[0], row[1])


def close_session(db: Database, token: str | None) -> None:
    if token:
        with db.transaction():
            db.execute("DELETE FROM sessions WHERE token_hash = ?", (_digest(token),))
