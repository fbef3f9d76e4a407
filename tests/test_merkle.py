"""The ledger's Merkle tree against the Certificate Transparency test vectors, and its signing key."""

from __future__ import annotations

import base64
import hashlib
import os
import stat
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from generator.errors import CadreError
from generator.ledger.merkle import (
    EMPTY_ROOT,
    Tree,
    all_inclusion_proofs,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_hash,
    verify_consistency,
    verify_inclusion,
)
from generator.ledger.signing import (
    KEY_FILE,
    LedgerKeyError,
    Signer,
    canonical,
    key_json,
    rfc3339,
    sign_tree_head,
    verify_tree_head,
)

# The Certificate Transparency reference test data. The leaves, the roots of sizes 1..8 and the
# audit paths are kInputs, kSHA256Roots and kSHA256Paths of google/certificate-transparency
# cpp/merkletree/merkle_tree_test.cc (commit 0e901cacd1388fa16f78b184612f6cd16e5ceec1); the
# consistency proofs are its kSHA256Proofs plus the (6, 7) case that transparency-dev/merkle
# proof/verify_test.go (commit 02194e9afb6c1d95b5381350007963aa70fff472) adds. Both files count
# leaves from 1; the indices below are 0-based.
CT_LEAVES = [
    bytes.fromhex(h) for h in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f")
]
CT_EMPTY_ROOT = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
CT_ROOTS = {
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    5: "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    6: "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}
# (leaf index, tree size, audit path)
CT_PATHS: list[tuple[int, int, list[str]]] = [
    (0, 1, []),
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]
# (old size, new size, consistency proof)
CT_CONSISTENCY: list[tuple[int, int, list[str]]] = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]

CT_HASHES = [leaf_hash(data) for data in CT_LEAVES]
MAX = 40
LEAVES = [leaf_hash(f"entry {i}".encode()) for i in range(MAX)]
ROOTS = [root_hash(LEAVES[:n]) for n in range(MAX + 1)]
OTHER = hashlib.sha256(b"not in the tree").digest()


def unhex(hashes: list[str]) -> list[bytes]:
    return [bytes.fromhex(h) for h in hashes]


def flipped(value: bytes, bit: int = 3) -> bytes:
    return bytes([value[0] ^ (1 << bit)]) + value[1:]


def reference_mth(leaves: list[bytes]) -> bytes:
    """RFC 6962 §2.1 MTH, word for word, to check the fast implementations against."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return node_hash(reference_mth(leaves[:k]), reference_mth(leaves[k:]))


# --- Known answers ---------------------------------------------------------------------------


def test_hashes_use_the_rfc_6962_domain_prefixes() -> None:
    assert leaf_hash(b"abc") == hashlib.sha256(b"\x00abc").digest()
    assert node_hash(b"L" * 32, b"R" * 32) == hashlib.sha256(b"\x01" + b"L" * 32 + b"R" * 32).digest()


def test_empty_tree_root_is_the_hash_of_nothing() -> None:
    assert root_hash([]).hex() == CT_EMPTY_ROOT
    assert EMPTY_ROOT.hex() == CT_EMPTY_ROOT
    assert Tree().root().hex() == CT_EMPTY_ROOT


@pytest.mark.parametrize("size", sorted(CT_ROOTS))
def test_ct_roots(size: int) -> None:
    assert root_hash(CT_HASHES[:size]).hex() == CT_ROOTS[size]
    assert Tree(CT_HASHES[:size]).root().hex() == CT_ROOTS[size]


@pytest.mark.parametrize(("index", "size", "path"), CT_PATHS)
def test_ct_inclusion_proofs(index: int, size: int, path: list[str]) -> None:
    proof = unhex(path)
    assert inclusion_proof(index, CT_HASHES[:size]) == proof
    assert all_inclusion_proofs(CT_HASHES[:size])[index] == proof
    root = bytes.fromhex(CT_ROOTS[size])
    assert verify_inclusion(index, size, CT_HASHES[index], proof, root)
    # The probes of the reference VerifierCheck.
    assert not verify_inclusion(index - 1, size, CT_HASHES[index], proof, root)
    assert not verify_inclusion(index + 1, size, CT_HASHES[index], proof, root)
    assert not verify_inclusion(index ^ 2, size, CT_HASHES[index], proof, root)
    assert not verify_inclusion(index, size * 2, CT_HASHES[index], proof, root)
    assert not verify_inclusion(index, size // 2, CT_HASHES[index], proof, root)
    assert not verify_inclusion(index, size, leaf_hash(b"WrongLeaf"), proof, root)
    assert not verify_inclusion(index, size, CT_HASHES[index], proof, EMPTY_ROOT)


@pytest.mark.parametrize(("old", "new", "path"), CT_CONSISTENCY)
def test_ct_consistency_proofs(old: int, new: int, path: list[str]) -> None:
    proof = unhex(path)
    assert consistency_proof(old, CT_HASHES[:new]) == proof
    old_root, new_root = bytes.fromhex(CT_ROOTS[old]), bytes.fromhex(CT_ROOTS[new])
    assert verify_consistency(old, new, old_root, new_root, proof)


def test_ct_trivial_consistency_cases() -> None:
    root1 = bytes.fromhex(CT_ROOTS[1])
    assert verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    assert verify_consistency(0, 1, EMPTY_ROOT, root1, [])
    assert verify_consistency(1, 1, root1, root1, [])
    # Time travel to the past, and an empty proof for a real extension.
    assert not verify_consistency(1, 0, root1, EMPTY_ROOT, [])
    assert not verify_consistency(2, 1, root1, root1, [])
    assert not verify_consistency(1, 2, root1, bytes.fromhex(CT_ROOTS[2]), [])
    # Roots that differ where they must be equal; non-empty proofs where none is due.
    assert not verify_consistency(1, 1, root1, EMPTY_ROOT, [])
    assert not verify_consistency(0, 0, EMPTY_ROOT, root1, [])
    assert not verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT])
    assert not verify_consistency(0, 1, EMPTY_ROOT, root1, [EMPTY_ROOT])
    assert not verify_consistency(1, 1, root1, root1, [EMPTY_ROOT])
    # Our addition: the empty tree has exactly one root.
    assert not verify_consistency(0, 1, root1, root1, [])


# --- Every proof of every small tree ---------------------------------------------------------


@pytest.mark.parametrize("n", range(1, MAX + 1))
def test_roots_match_the_rfc_definition(n: int) -> None:
    assert ROOTS[n] == reference_mth(LEAVES[:n])


@pytest.mark.parametrize("n", range(1, MAX + 1))
def test_every_inclusion_proof_verifies_and_every_tampering_fails(n: int) -> None:
    leaves, root = LEAVES[:n], ROOTS[n]
    for index in range(n):
        leaf = leaves[index]
        proof = inclusion_proof(index, leaves)
        assert verify_inclusion(index, n, leaf, proof, root), (index, n)
        for other in [-1, *range(n + 2)]:
            if other != index:
                assert not verify_inclusion(other, n, leaf, proof, root), (index, n, other)
        assert not verify_inclusion(index, n, OTHER, proof, root)
        assert not verify_inclusion(index, n, flipped(leaf), proof, root)
        assert not verify_inclusion(index, n, leaf, proof, flipped(root))
        assert not verify_inclusion(index, n, leaf, proof, EMPTY_ROOT)
        assert not verify_inclusion(index, n * 2, leaf, proof, root)
        assert not verify_inclusion(index, n // 2, leaf, proof, root)
        for i in range(len(proof)):
            for bit in (0, 7):
                bad = [*proof[:i], flipped(proof[i], bit), *proof[i + 1 :]]
                assert not verify_inclusion(index, n, leaf, bad, root), (index, n, i)
            assert not verify_inclusion(index, n, leaf, proof[:i] + proof[i + 1 :], root)
        assert not verify_inclusion(index, n, leaf, [*proof, root], root)
        assert not verify_inclusion(index, n, leaf, [root, *proof], root)
        assert not verify_inclusion(index, n, leaf, [*proof, b""], root)
        if len(proof) > 1:
            assert not verify_inclusion(index, n, leaf, proof[::-1], root)


def test_a_proof_does_not_bind_the_tree_size_so_sizes_come_from_the_signed_head() -> None:
    # Leaf 0 has the same shape of path in trees of 5 and 6 leaves: the verifier has to take
    # tree_size from the same signed tree head as the root, never from elsewhere.
    proof = inclusion_proof(0, LEAVES[:5])
    assert verify_inclusion(0, 6, LEAVES[0], proof, ROOTS[5])


@pytest.mark.parametrize("n", range(1, MAX + 1))
def test_all_inclusion_proofs_equals_one_at_a_time(n: int) -> None:
    leaves = LEAVES[:n]
    assert all_inclusion_proofs(leaves) == [inclusion_proof(i, leaves) for i in range(n)]


def test_all_inclusion_proofs_of_an_empty_tree() -> None:
    assert all_inclusion_proofs([]) == []


@pytest.mark.parametrize("n", range(1, MAX + 1))
def test_every_consistency_proof_verifies_and_every_tampering_fails(n: int) -> None:
    new_root = ROOTS[n]
    assert consistency_proof(0, LEAVES[:n]) == []
    assert verify_consistency(0, n, EMPTY_ROOT, new_root, [])
    for m in range(1, n + 1):
        old_root = ROOTS[m]
        proof = consistency_proof(m, LEAVES[:n])
        assert verify_consistency(m, n, old_root, new_root, proof), (m, n)
        if m == n:
            assert proof == []
            assert not verify_consistency(m, n, old_root, flipped(new_root), [])
            assert not verify_consistency(m, n, old_root, new_root, [old_root])
            continue
        assert proof
        for m2 in (m - 1, m + 1, m ^ 2):
            if m2 != m:
                assert not verify_consistency(m2, n, old_root, new_root, proof), (m, n, m2)
        assert not verify_consistency(m, n * 2, old_root, new_root, proof)
        assert not verify_consistency(m, n // 2, old_root, new_root, proof)
        assert not verify_consistency(m, n, flipped(old_root), new_root, proof)
        assert not verify_consistency(m, n, old_root, flipped(new_root), proof)
        assert not verify_consistency(m, n, new_root, old_root, proof)
        assert not verify_consistency(m, n, old_root, new_root, [])
        for i in range(len(proof)):
            bad = [*proof[:i], flipped(proof[i], 4), *proof[i + 1 :]]
            assert not verify_consistency(m, n, old_root, new_root, bad), (m, n, i)
            assert not verify_consistency(m, n, old_root, new_root, proof[:i] + proof[i + 1 :])
        for extra in (old_root, new_root, proof[0], proof[-1]):
            assert not verify_consistency(m, n, old_root, new_root, [*proof, extra])
            assert not verify_consistency(m, n, old_root, new_root, [extra, *proof])
        assert not verify_consistency(m, n, old_root, new_root, [*proof, b""])


def test_consistency_fails_for_a_rewritten_history() -> None:
    rewritten = [*LEAVES[:3], OTHER, *LEAVES[4:20]]
    proof = consistency_proof(10, rewritten)
    assert verify_consistency(10, 20, root_hash(rewritten[:10]), root_hash(rewritten), proof)
    assert not verify_consistency(10, 20, ROOTS[10], root_hash(rewritten), proof)


# --- The incremental tree ------------------------------------------------------------------


def test_tree_root_matches_root_hash_after_every_append() -> None:
    leaves = [leaf_hash(i.to_bytes(4, "big")) for i in range(300)]
    tree = Tree()
    for n, leaf in enumerate(leaves, start=1):
        tree.append(leaf)
        assert tree.size == n
        assert tree.root() == root_hash(leaves[:n]), n


def test_tree_keeps_one_hash_per_set_bit_of_its_size() -> None:
    tree = Tree(LEAVES[:13])
    assert len(tree._frontier) == 3  # 13 = 8 + 4 + 1


# --- Invalid arguments -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: inclusion_proof(3, LEAVES[:3]), "leaf index 3 is out of range for a tree of 3 leaves"),
        (lambda: inclusion_proof(-1, LEAVES[:3]), "leaf index -1 is out of range for a tree of 3 leaves"),
        (lambda: inclusion_proof(0, []), "leaf index 0 is out of range for a tree of 0 leaves"),
        (lambda: consistency_proof(4, LEAVES[:3]), "old tree size 4 must be between 0 and the new tree size 3"),
        (lambda: consistency_proof(-1, LEAVES[:3]), "old tree size -1 must be between 0 and the new tree size 3"),
        (lambda: root_hash([b"entry bytes, not a hash"]), "leaf 0 is not a 32-byte leaf hash"),
        (lambda: all_inclusion_proofs([LEAVES[0], b"short"]), "leaf 1 is not a 32-byte leaf hash"),
        (lambda: Tree().append(b"short"), "a leaf must be a 32-byte leaf hash"),
    ],
)
def test_invalid_arguments_raise_value_error(call: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    "args",
    [
        (0, 0, LEAVES[0], [], LEAVES[0]),
        (0, 1, LEAVES[0], [], b"short"),
        (0, 1, b"short", [], b"short"),
        (0, 1, b"", [], b""),
        (-1, 1, LEAVES[0], [], LEAVES[0]),
        (0, -1, LEAVES[0], [], LEAVES[0]),
        (0, 2, LEAVES[0], ["not bytes"], ROOTS[2]),
        (0, 2, LEAVES[0], [None], ROOTS[2]),
        ("0", 1, LEAVES[0], [], LEAVES[0]),
        (0, 1, "leaf", [], "leaf"),
    ],
)
def test_verify_inclusion_returns_false_on_malformed_input(args: tuple[Any, ...]) -> None:
    assert verify_inclusion(*args) is False


@pytest.mark.parametrize(
    "args",
    [
        (2, 1, ROOTS[2], ROOTS[1], []),
        (-1, 2, EMPTY_ROOT, ROOTS[2], []),
        (1, 2, b"short", ROOTS[2], [LEAVES[1]]),
        (1, 2, ROOTS[1], ROOTS[2], [b"short"]),
        (1, 2, ROOTS[1], ROOTS[2], ["text"]),
        (1, 2, ROOTS[1], None, [LEAVES[1]]),
        (True, 2, ROOTS[1], ROOTS[2], [LEAVES[1]]),
    ],
)
def test_verify_consistency_returns_false_on_malformed_input(args: tuple[Any, ...]) -> None:
    assert verify_consistency(*args) is False


# --- Signing -------------------------------------------------------------------------------


def test_canonical_bytes_sort_keys_and_keep_chinese() -> None:
    assert canonical({"b": 1, "a": "林雪梅", "c": {"y": 2, "x": [1, 2]}}) == '{"a":"林雪梅","b":1,"c":{"x":[1,2],"y":2}}'.encode()


def test_signed_tree_head_round_trip(tmp_path: Path) -> None:
    signer = Signer.load_or_create(tmp_path)
    sth = sign_tree_head(signer, 8, bytes.fromhex(CT_ROOTS[8]), "2026-11-22T02:15:07Z")
    assert set(sth) == {"tree_size", "root_hash", "timestamp", "signature"}
    assert sth["root_hash"] == CT_ROOTS[8]
    assert len(base64.b64decode(sth["signature"], validate=True)) == 64
    assert verify_tree_head(sth, signer.public_key_b64)
    assert len(base64.b64decode(signer.public_key_b64, validate=True)) == 32
    assert key_json(signer.public_key_b64) == {"algorithm": "Ed25519", "public_key": signer.public_key_b64}


def test_signature_covers_the_canonical_bytes_of_the_three_fields(tmp_path: Path) -> None:
    signer = Signer.load_or_create(tmp_path)
    sth = sign_tree_head(signer, 3, ROOTS[3], "2026-11-22T02:15:07Z")
    message = canonical({"tree_size": 3, "root_hash": ROOTS[3].hex(), "timestamp": "2026-11-22T02:15:07Z"})
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(signer.public_key_b64))
    public.verify(base64.b64decode(sth["signature"]), message)  # raises if not


@pytest.mark.parametrize(
    "change",
    [
        {"tree_size": 9},
        {"tree_size": 7},
        {"root_hash": CT_ROOTS[7]},
        {"root_hash": CT_ROOTS[8].upper()},
        {"timestamp": "2026-11-22T02:15:08Z"},
        {"signature": base64.b64encode(bytes(64)).decode()},
        {"signature": "not base64!"},
        {"signature": ""},
        {"tree_size": "8"},
        {"tree_size": True},
        {"root_hash": None},
    ],
)
def test_tampered_tree_head_fails(tmp_path: Path, change: dict[str, Any]) -> None:
    signer = Signer.load_or_create(tmp_path)
    sth = sign_tree_head(signer, 8, bytes.fromhex(CT_ROOTS[8]), "2026-11-22T02:15:07Z")
    assert not verify_tree_head({**sth, **change}, signer.public_key_b64)


def test_flipped_signature_bit_fails(tmp_path: Path) -> None:
    signer = Signer.load_or_create(tmp_path)
    sth = sign_tree_head(signer, 8, bytes.fromhex(CT_ROOTS[8]), "2026-11-22T02:15:07Z")
    raw = base64.b64decode(sth["signature"])
    sth["signature"] = base64.b64encode(flipped(raw)).decode()
    assert not verify_tree_head(sth, signer.public_key_b64)


def test_wrong_key_fails(tmp_path: Path) -> None:
    signer = Signer.load_or_create(tmp_path / "a")
    other = Signer.load_or_create(tmp_path / "b")
    assert other.public_key_b64 != signer.public_key_b64
    sth = sign_tree_head(signer, 1, ROOTS[1], "2026-11-22T02:15:07Z")
    assert not verify_tree_head(sth, other.public_key_b64)


@pytest.mark.parametrize("key", ["", "not base64!", base64.b64encode(bytes(31)).decode(), None, 42])
def test_verify_tree_head_never_raises_on_a_bad_key(tmp_path: Path, key: Any) -> None:
    sth = sign_tree_head(Signer.load_or_create(tmp_path), 1, ROOTS[1], "2026-11-22T02:15:07Z")
    assert verify_tree_head(sth, key) is False


@pytest.mark.parametrize(
    "sth", [{}, {"tree_size": 1}, [], None, "sth", {"tree_size": 1, "root_hash": "00", "timestamp": "", "signature": ""}]
)
def test_verify_tree_head_never_raises_on_a_bad_head(tmp_path: Path, sth: Any) -> None:
    assert verify_tree_head(sth, Signer.load_or_create(tmp_path).public_key_b64) is False


def test_sign_tree_head_rejects_a_bad_root(tmp_path: Path) -> None:
    signer = Signer.load_or_create(tmp_path)
    with pytest.raises(ValueError, match="root must be a 32-byte hash"):
        sign_tree_head(signer, 1, ROOTS[1].hex().encode(), "2026-11-22T02:15:07Z")
    with pytest.raises(ValueError, match="tree size must be a whole number"):
        sign_tree_head(signer, -1, ROOTS[1], "2026-11-22T02:15:07Z")


def test_key_file_is_created_private_and_reloaded_identically(tmp_path: Path) -> None:
    data = tmp_path / "project" / "data"
    first = Signer.load_or_create(data)
    key_file = data / KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert sorted(p.name for p in data.iterdir()) == [KEY_FILE]  # no temporary file left behind
    before = key_file.read_bytes()
    second = Signer.load_or_create(data)
    assert key_file.read_bytes() == before
    assert second.public_key_b64 == first.public_key_b64
    # Ed25519 signatures are deterministic: the same key signs the same bytes identically.
    assert second.sign(b"payload") == first.sign(b"payload")


def test_key_file_is_unencrypted_pkcs8(tmp_path: Path) -> None:
    Signer.load_or_create(tmp_path)
    key = serialization.load_pem_private_key((tmp_path / KEY_FILE).read_bytes(), password=None)
    assert isinstance(key, Ed25519PrivateKey)


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (b"", "damaged"),
        (b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "damaged"),
        (b"\x00\xff garbage", "damaged"),
    ],
)
def test_damaged_key_file_gives_a_clear_error(tmp_path: Path, content: bytes, what: str) -> None:
    (tmp_path / KEY_FILE).write_bytes(content)
    with pytest.raises(LedgerKeyError) as caught:
        Signer.load_or_create(tmp_path)
    message = caught.value.format_message()
    assert isinstance(caught.value, CadreError)
    assert str(tmp_path / KEY_FILE) in message
    assert what in message
    assert "restore it from your backup" in message
    assert (tmp_path / KEY_FILE).read_bytes() == content  # never overwritten


def test_truncated_key_file_gives_a_clear_error(tmp_path: Path) -> None:
    Signer.load_or_create(tmp_path)
    key_file = tmp_path / KEY_FILE
    key_file.write_bytes(key_file.read_bytes()[:60])
    with pytest.raises(LedgerKeyError, match="the ledger key is damaged"):
        Signer.load_or_create(tmp_path)


def test_key_of_another_algorithm_gives_a_clear_error(tmp_path: Path) -> None:
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (tmp_path / KEY_FILE).write_bytes(pem)
    with pytest.raises(LedgerKeyError, match="is not an Ed25519 key"):
        Signer.load_or_create(tmp_path)


def test_password_protected_key_gives_a_clear_error(tmp_path: Path) -> None:
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.BestAvailableEncryption(b"secret")
    )
    (tmp_path / KEY_FILE).write_bytes(pem)
    with pytest.raises(LedgerKeyError, match="encrypted with a password"):
        Signer.load_or_create(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_key_file_gives_a_clear_error(tmp_path: Path) -> None:
    Signer.load_or_create(tmp_path)
    (tmp_path / KEY_FILE).chmod(0)
    try:
        with pytest.raises(LedgerKeyError, match="cannot read the ledger key"):
            Signer.load_or_create(tmp_path)
    finally:
        (tmp_path / KEY_FILE).chmod(0o600)


def test_rfc3339_is_utc_to_the_second() -> None:
    moment = datetime(2026, 11, 22, 10, 15, 7, 999_999, tzinfo=timezone(timedelta(hours=8)))
    assert rfc3339(moment) == "2026-11-22T02:15:07Z"
    assert rfc3339(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2026-01-02T03:04:05Z"
    with pytest.raises(ValueError, match="timezone-aware"):
        rfc3339(datetime(2026, 11, 22, 2, 15, 7))
