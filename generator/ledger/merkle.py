"""Merkle tree hashing, proofs and verification as in RFC 6962 §2.1 and RFC 9162 §2.1 (SHA-256).

Every function here is pure. `leaves` are always leaf hashes (`leaf_hash(entry)`, 32 bytes), so
the tree code never sees or re-hashes entry bytes. Proof hashes are ordered as the RFCs order
them: the sibling nearest the leaf first, the one just below the root last.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

HASH_SIZE = 32
# MTH({}) = HASH() (RFC 6962 §2.1): the root of the empty tree is the hash of no bytes.
EMPTY_ROOT = hashlib.sha256(b"").digest()

# The one-byte prefixes keep a leaf from ever being read as an interior node (second-preimage
# resistance, RFC 6962 §2.1).
_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"


def leaf_hash(data: bytes) -> bytes:
    """Return SHA-256(0x00 || data), the hash of one log entry."""
    return hashlib.sha256(_LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return SHA-256(0x01 || left || right), the hash of an interior node."""
    return hashlib.sha256(_NODE_PREFIX + left + right).digest()


def _split(n: int) -> int:
    """Return k, the largest power of two smaller than n (n >= 2), where RFC 6962 splits D[n]."""
    return 1 << ((n - 1).bit_length() - 1)


def _check_leaves(leaves: Sequence[bytes]) -> None:
    for i, leaf in enumerate(leaves):
        if not isinstance(leaf, bytes) or len(leaf) != HASH_SIZE:
            raise ValueError(f"leaf {i} is not a {HASH_SIZE}-byte leaf hash; pass leaf_hash(entry), not the entry")


def _levels(leaves: Sequence[bytes]) -> list[list[bytes]]:
    """Return every subtree root of the tree, level by level, the leaves first and the root last.

    levels[h][j] is MTH(D[j·2^h : min((j+1)·2^h, n)]): the memo of subtree roots keyed by
    (start, size), stored as a list per height so that one list index replaces a dict lookup.
    A node without a right sibling is carried up unchanged; that yields exactly RFC 6962's
    split at the largest power of two, because the only incomplete subtree at each height is
    the rightmost one, and its left part is the perfect subtree one level down.
    """
    levels = [list(leaves)]
    while len(levels[-1]) > 1:
        below = levels[-1]
        above = [node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)]
        if len(below) % 2:
            above.append(below[-1])
        levels.append(above)
    return levels


def _subtree_root(leaves: Sequence[bytes], start: int, size: int) -> bytes:
    """Return MTH(D[start:start+size]) for size >= 1."""
    if size == 1:
        return leaves[start]
    k = _split(size)
    return node_hash(_subtree_root(leaves, start, k), _subtree_root(leaves, start + k, size - k))


def root_hash(leaves: Sequence[bytes]) -> bytes:
    """Return the Merkle Tree Hash MTH(D[n]) of the given leaf hashes (SHA-256 of b"" when empty)."""
    _check_leaves(leaves)
    if not leaves:
        return EMPTY_ROOT
    return _levels(leaves)[-1][0]


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """Return the audit path PATH(index, D[n]) of RFC 9162 §2.1.3.1 for the leaf at `index`."""
    n = len(leaves)
    if not 0 <= index < n:
        raise ValueError(f"leaf index {index} is out of range for a tree of {n} leaves")
    _check_leaves(leaves)
    # The RFC recursion, unrolled: walk down from the root, noting the sibling subtree at each
    # split; PATH lists them from the leaf upwards, so the walk's order is reversed at the end.
    path: list[bytes] = []
    start, size, m = 0, n, index
    while size > 1:
        k = _split(size)
        if m < k:
            path.append(_subtree_root(leaves, start + k, size - k))
            size = k
        else:
            path.append(_subtree_root(leaves, start, k))
            start, size, m = start + k, size - k, m - k
    path.reverse()
    return path


def all_inclusion_proofs(leaves: Sequence[bytes]) -> list[list[bytes]]:
    """Return inclusion_proof(i, leaves) for every i, sharing subtree hashes: O(n log n) in all."""
    _check_leaves(leaves)
    levels = _levels(leaves)
    proofs: list[list[bytes]] = []
    for index in range(len(leaves)):
        path: list[bytes] = []
        j = index
        for level in levels[:-1]:
            sibling = j ^ 1
            # No right sibling means this node is carried up unchanged: RFC 6962 puts nothing
            # in the path for that height.
            if sibling < len(level):
                path.append(level[sibling])
            j >>= 1
        proofs.append(path)
    return proofs


def consistency_proof(old_size: int, leaves: Sequence[bytes]) -> list[bytes]:
    """Return PROOF(old_size, D[n]) of RFC 9162 §2.1.4.1 that D[old_size] is a prefix of D[n]."""
    n = len(leaves)
    if not 0 <= old_size <= n:
        raise ValueError(f"old tree size {old_size} must be between 0 and the new tree size {n}")
    _check_leaves(leaves)
    # The empty tree and the tree itself are consistent with D[n] by definition; there is
    # nothing to prove (SUBPROOF(n, D[n], true) = {}).
    if old_size in (0, n):
        return []
    levels = _levels(leaves)

    def mth(start: int, size: int) -> bytes:
        # Any subtree visited below is a power-of-two-aligned node or the rightmost partial one,
        # so it sits in `levels` at height ceil(log2(size)).
        height = (size - 1).bit_length()
        return levels[height][start >> height]

    # SUBPROOF(m, D[start:start+size], b), unrolled as in inclusion_proof.
    proof: list[bytes] = []
    start, size, m, complete = 0, n, old_size, True
    while m != size:
        k = _split(size)
        if m <= k:
            proof.append(mth(start + k, size - k))
            size = k
        else:
            proof.append(mth(start, k))
            start, size, m, complete = start + k, size - k, m - k, False
    # SUBPROOF(m, D[m], false) = {MTH(D[m])}: the old tree's root is not a node the verifier
    # already holds, so it goes in; with b true it is the old root itself and stays out.
    if not complete:
        proof.append(mth(start, size))
    proof.reverse()
    return proof


def _is_hash(value: object) -> bool:
    return isinstance(value, bytes) and len(value) == HASH_SIZE


def _is_size(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def verify_inclusion(index: int, tree_size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> bool:
    """Return whether `proof` shows leaf hash `leaf` at `index` in the tree of `tree_size` with `root`."""
    # The proof does not bind tree_size on its own (leaf 0's path in a 5-leaf tree is also a
    # well-formed path in a 6-leaf one), so tree_size and root must come from one verified
    # signed tree head.
    if not (_is_size(index) and _is_size(tree_size) and _is_hash(leaf) and _is_hash(root)):
        return False
    if not all(_is_hash(p) for p in proof):
        return False
    # RFC 9162 §2.1.3.2, step by step.
    # 1. leaf_index >= tree_size fails.
    if index >= tree_size:
        return False
    # 2.-3.
    fn, sn, r = index, tree_size - 1, leaf
    # 4.
    for p in proof:
        # a. A proof longer than the path from the leaf to the root is forged.
        if sn == 0:
            return False
        # b.
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            # ii. Heights where this node is the rightmost one and has no sibling are skipped.
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        # c.
        fn >>= 1
        sn >>= 1
    # 5. sn == 0 also rejects a proof that stops short of the root.
    return sn == 0 and r == root


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]) -> bool:
    """Return whether `proof` shows the tree (old_size, old_root) is a prefix of (new_size, new_root)."""
    if not (_is_size(old_size) and _is_size(new_size) and _is_hash(old_root) and _is_hash(new_root)):
        return False
    if not all(_is_hash(p) for p in proof):
        return False
    if old_size > new_size:
        return False
    # The RFC algorithm assumes 0 < first < second; the two trivial cases have empty proofs, and
    # a non-empty proof for them is malformed rather than harmless.
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof and old_root == EMPTY_ROOT
    # RFC 9162 §2.1.4.2, step by step.
    # 1.
    if not proof:
        return False
    path = list(proof)
    # 2. A power-of-two old tree is itself a node of the new tree, so its root is the
    # starting point and the log leaves it out of the proof.
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    # 3.
    fn, sn = old_size - 1, new_size - 1
    # 4. Climb past the heights where the old tree's last node is a right child: the first
    # path entry is already the hash of that whole subtree.
    while fn & 1:
        fn >>= 1
        sn >>= 1
    # 5.
    fr = sr = path[0]
    # 6.
    for c in path[1:]:
        # a.
        if sn == 0:
            return False
        # b.
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            # iii.
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        # c.
        fn >>= 1
        sn >>= 1
    # 7.
    return fr == old_root and sr == new_root and sn == 0


class Tree:
    """An append-only Merkle tree that keeps only its frontier: the roots of its perfect subtrees.

    The frontier follows the binary digits of the size (13 = 8 + 4 + 1 leaves gives three
    subtree roots, largest first), so an append merges at most log2(n) pairs and root() folds
    at most log2(n) hashes, whatever the size.
    """

    def __init__(self, leaves: Iterable[bytes] = ()) -> None:
        self._size = 0
        self._frontier: list[bytes] = []
        for leaf in leaves:
            self.append(leaf)

    @property
    def size(self) -> int:
        """Return the number of leaves appended so far."""
        return self._size

    def append(self, leaf: bytes) -> None:
        """Append one leaf hash to the tree."""
        if not _is_hash(leaf):
            raise ValueError(f"a leaf must be a {HASH_SIZE}-byte leaf hash; pass leaf_hash(entry), not the entry")
        self._frontier.append(leaf)
        self._size += 1
        # Each trailing zero bit of the new size is a pair of equal perfect subtrees to merge,
        # like the carries of a binary increment.
        size = self._size
        while not size & 1:
            right = self._frontier.pop()
            left = self._frontier.pop()
            self._frontier.append(node_hash(left, right))
            size >>= 1

    def root(self) -> bytes:
        """Return the Merkle Tree Hash of the leaves appended so far."""
        if not self._frontier:
            return EMPTY_ROOT
        # MTH splits at the largest power of two, so the tree is the leftmost perfect subtree
        # joined with the tree of the rest: fold the frontier from the right.
        result = self._frontier[-1]
        for left in reversed(self._frontier[:-1]):
            result = node_hash(left, result)
        return result
