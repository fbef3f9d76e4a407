"""Ed25519 signing of tree heads, and the ledger key pair kept in the data folder."""

from __future__ import annotations

import base64
import binascii
import json
import os
import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..errors import CadreError
from .merkle import HASH_SIZE

KEY_FILE = "ledger-key.pem"
ALGORITHM = "Ed25519"


class LedgerKeyError(CadreError):
    """The ledger's private key file exists but cannot be used."""


def canonical(obj: Mapping[str, Any]) -> bytes:
    """Return the canonical bytes of a JSON object: sorted keys, no spaces, UTF-8."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


class Signer:
    """The ledger's Ed25519 private key, which signs tree heads."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._private_key = private_key
        self._public_raw = private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    @classmethod
    def load_or_create(cls, data_dir: Path) -> Signer:
        """Return the signer whose key is in data_dir/ledger-key.pem, creating the key on first use."""
        path = data_dir / KEY_FILE
        try:
            pem = path.read_bytes()
        except FileNotFoundError:
            return cls(_create_key(data_dir, path))
        except OSError as exc:
            raise LedgerKeyError(f"{path}: cannot read the ledger key ({exc.strerror}); check the file's permissions") from exc
        return cls(_parse_key(path, pem))

    def sign(self, payload: bytes) -> str:
        """Return the Ed25519 signature of `payload`, in standard base64."""
        return base64.b64encode(self._private_key.sign(payload)).decode("ascii")

    @property
    def public_key_b64(self) -> str:
        """Return the raw 32-byte public key, in standard base64."""
        return base64.b64encode(self._public_raw).decode("ascii")


def _parse_key(path: Path, pem: bytes) -> Ed25519PrivateKey:
    # Deleting the file would silently start a new key, and every certificate page already
    # published names the old public key: so the message sends people to their backup first.
    advice = (
        "restore it from your backup of the data folder; only if no certificate has been published yet, "
        "delete it and a new key will be created"
    )
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except TypeError as exc:
        raise LedgerKeyError(f"{path}: the ledger key is encrypted with a password, which cadre does not use; {advice}") from exc
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise LedgerKeyError(f"{path}: the ledger key is damaged (not a readable PEM private key); {advice}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise LedgerKeyError(f"{path}: the ledger key is not an Ed25519 key; {advice}")
    return key


def _create_key(data_dir: Path, path: Path) -> Ed25519PrivateKey:
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    data_dir.mkdir(parents=True, exist_ok=True)
    # Written beside its final name and renamed into place, so a crash never leaves a
    # half-written key that the next run would report as damaged; mkstemp creates it 0600,
    # so the secret is never readable by others, even for a moment.
    fd, tmp_name = tempfile.mkstemp(dir=data_dir, prefix=f".{KEY_FILE}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), 0o600)
            out.write(pem)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return key


def key_json(public_key_b64: str) -> dict[str, str]:
    """Return the published public key document, site/ledger/key.json."""
    return {"algorithm": ALGORITHM, "public_key": public_key_b64}


def _tree_head_body(tree_size: int, root_hex: str, timestamp: str) -> dict[str, Any]:
    return {"tree_size": tree_size, "root_hash": root_hex, "timestamp": timestamp}


def sign_tree_head(signer: Signer, tree_size: int, root: bytes, timestamp: str) -> dict[str, Any]:
    """Return the signed tree head {tree_size, root_hash (hex), timestamp, signature}."""
    if isinstance(tree_size, bool) or not isinstance(tree_size, int) or tree_size < 0:
        raise ValueError(f"tree size must be a whole number of entries, not {tree_size!r}")
    if not isinstance(root, bytes) or len(root) != HASH_SIZE:
        raise ValueError(f"root must be a {HASH_SIZE}-byte hash")
    body = _tree_head_body(tree_size, root.hex(), timestamp)
    return {**body, "signature": signer.sign(canonical(body))}


def verify_tree_head(sth: Mapping[str, Any], public_key_b64: str) -> bool:
    """Return whether `sth` carries a valid signature by the key `public_key_b64` over its three fields."""
    try:
        tree_size = sth["tree_size"]
        root_hex = sth["root_hash"]
        timestamp = sth["timestamp"]
        signature = sth["signature"]
        if isinstance(tree_size, bool) or not isinstance(tree_size, int) or tree_size < 0:
            return False
        if not (isinstance(root_hex, str) and isinstance(timestamp, str) and isinstance(signature, str)):
            return False
        # Only the lowercase hex the signer writes: otherwise one head would have many accepted spellings.
        if len(root_hex) != 2 * HASH_SIZE or bytes.fromhex(root_hex).hex() != root_hex:
            return False
        public_key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64, validate=True))
        public_key.verify(base64.b64decode(signature, validate=True), canonical(_tree_head_body(tree_size, root_hex, timestamp)))
    except (InvalidSignature, KeyError, TypeError, ValueError, binascii.Error, UnicodeError, UnsupportedAlgorithm):
        return False
    return True


def rfc3339(moment: datetime) -> str:
    """Return `moment` in UTC to the second, as RFC 3339 with a Z: "2026-11-22T02:15:07Z"."""
    # A naive datetime could be local time or UTC; guessing would shift every timestamp by the
    # server's offset, so the caller must say.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("rfc3339() needs a timezone-aware datetime, such as datetime.now(UTC)")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
