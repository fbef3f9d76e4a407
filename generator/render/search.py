"""The search index: built at build time, shipped as scripts, so search works offline and from file://.

Chinese text is indexed by character bigrams (any run of two or more Chinese characters can be
found, not only whole words) and Latin text by words. Postings are split into shards by a hash of
the term that the browser computes the same way, so a query loads only the shards of its own terms;
each document's text is its own small file, loaded only for candidates, to confirm the characters
are adjacent (调解 never matches 调…解), rank titles over bodies and show a highlighted snippet.

A full index is made in chunks of documents on every core, each chunk at once with numpy (see
_index_chunk); a patch indexes the changed documents one by one (doc_postings). Both give the same
postings, so a patched index is byte for byte a full one.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import math
import re
import unicodedata
from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from .parallel import map_all

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

# numpy is imported where it is used, not here: a build that only patches the index never needs it.

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Every pair of adjacent Chinese characters: the lookahead matches without consuming, so the pairs overlap.
_BIGRAMS = re.compile(rf"(?=([{CJK}]{{2}}))").findall
# Runs of ASCII letters and digits, kept if longer than one character or a single digit: a character
# and the rest of its run (greedy, so the whole run), or, where the run is that one character, a digit.
_WORDS = re.compile(r"[a-z0-9](?:[a-z0-9]+|(?<=[0-9]))").findall
MAX_TEXT = 30_000


@dataclass(frozen=True)
class SearchDoc:
    url: str  # site path of the page, e.g. "skills/x/"
    title: str
    text: str | Callable[[], str]  # or a function reading it, called only when the text is indexed
    key: bytes = b""  # when given, stands for the text: the document changed if and only if it did

    def body(self) -> str:
        return self.text() if callable(self.text) else self.text


def normalise(text: str) -> str:
    """NFKC and lower case: full-width letters and digits match half-width ones."""
    return unicodedata.normalize("NFKC", text).lower()


def terms(text: str) -> Counter[str]:
    """Return the index terms of a text with their counts: Chinese bigrams and Latin words."""
    text = normalise(text)
    # Both lists are made and counted in C: no Python code runs per term.
    found = Counter(_BIGRAMS(text))
    found.update(_WORDS(text))
    return found


def shard_of(term: str, shards: int) -> int:
    """FNV-1a over the term's code points; its twin, shardOf in search.mjs, must agree."""
    h = 2166136261
    for ch in term:
        h = ((h ^ ord(ch)) * 16777619) & 0xFFFFFFFF
    return h % shards


class ShardTable(dict[str, int]):
    """term -> shard_of(term, shards), each term hashed once: terms repeat across documents (the
    Chinese bigrams in use are a few tens of thousands), so nearly every look-up is a hit, made in C."""

    def __init__(self, shards: int) -> None:
        super().__init__()
        self.shards = shards

    def __missing__(self, term: str) -> int:
        k = self[term] = shard_of(term, self.shards)
        return k


_SHARD_TABLE = ShardTable(1)
SHARD_TABLE_LIMIT = 1 << 17  # terms (some 20 MB); past this the table starts again


def shard_table(shards: int) -> ShardTable:
    """The process's table for `shards` shards, kept between builds (and inherited by forked workers)."""
    global _SHARD_TABLE
    if _SHARD_TABLE.shards != shards or len(_SHARD_TABLE) > SHARD_TABLE_LIMIT:
        _SHARD_TABLE = ShardTable(shards)
    return _SHARD_TABLE


# Shards are counted from the number of documents, not the size of the index, so that editing a
# page never changes how terms are split (only adding or removing pages does).
DOCS_PER_SHARD = 6


def shard_count(docs: int) -> int:
    return max(1, math.ceil(docs / DOCS_PER_SHARD))


def doc_postings(doc_id: int, title: str, text: str) -> dict[str, str]:
    """Return one document's postings: term -> "id.count", with "t" when the term is in the title."""
    found = terms(title + "\n" + text)
    # A document's counts are a handful of small numbers: each posting string is made once per count
    # and the dict is filled in C; the title's few terms are then marked.
    ident = f"{doc_id:x}."
    posting = {count: f"{ident}{count}" for count in set(found.values())}
    postings = dict(zip(found, map(posting.__getitem__, found.values()), strict=True))
    for term in terms(title):
        if term in postings:
            postings[term] += "t"
    return postings


@dataclass
class SearchIndex:
    """What the next build needs to patch the index the last one wrote."""

    urls: list[str]
    docs: list[bytes]  # fingerprint of each document (title and text)
    shards: list[bytes]  # the shards each document's terms are in (2 bytes each)
    texts: list[bytes]  # digest of the title and text each document was indexed with (see _text_digest)


def build_index(docs: list[SearchDoc], previous: SearchIndex | None = None, site: Path | None = None,
                sink: Callable[[str, bytes], None] | None = None,
                previous_texts: dict[int, str] | None = None) -> tuple[dict[str, bytes | None], SearchIndex]:
    """Return the index files (site path -> bytes, or None where the last build's file is still right)
    and the index to hand to the next build: meta, term shards and one text file per document.

    With the `previous` index of the same pages, whose files are in `site`, only documents whose
    title or text changed are indexed again, and only the shards holding their terms are written.
    A full index hands its files to `sink`, if given, as they are made (their values are then None).

    `previous_texts` may give, for changed documents, the text they were indexed with last time:
    if it is (its digest says so), only the terms whose postings differ are rewritten, and only the
    shards holding those (an edit of a sentence touches a few dozen shards, not the hundreds that
    hold some term of the document).
    """
    fps = [_fingerprint(d) for d in docs]
    urls = [d.url for d in docs]
    if previous is None or previous.urls != urls or site is None:
        return _full(docs, fps, sink)
    changed = [i for i, fp in enumerate(fps) if previous.docs[i] != fp]
    if len(changed) > len(docs) // 8:
        return _full(docs, fps, sink)  # patching one document at a time only pays for a few
    n = shard_count(len(docs))
    shard_at = shard_table(n)
    files: dict[str, bytes | None] = {"search/index/meta.js": None}
    shards: dict[int, dict[str, str]] = {}
    new_shards = list(previous.shards)

    def shard(k: int) -> dict[str, str]:
        if k not in shards:
            shards[k] = _read_shard(site / f"search/index/s{k}.js", k)
        return shards[k]

    texts = list(previous.texts)
    for doc_id in changed:
        doc = docs[doc_id]
        text = doc.body()
        fresh = doc_postings(doc_id, doc.title, text)
        before = (previous_texts or {}).get(doc_id)
        if before is not None and _text_digest(doc.title, before) == previous.texts[doc_id]:
            _patch_terms(doc_id, doc_postings(doc_id, doc.title, before), fresh, shard, shard_at)
        else:
            _remove_doc(doc_id, array("H", previous.shards[doc_id]), shard)
            _patch_terms(doc_id, {}, fresh, shard, shard_at)
        new_shards[doc_id] = array("H", sorted({shard_at[term] for term in fresh})).tobytes()
        texts[doc_id] = _text_digest(doc.title, text)
    for k in range(n):
        files[f"search/index/s{k}.js"] = _shard_file(k, shards[k]) if k in shards else None
    changed_set = set(changed)
    for doc_id, doc in enumerate(docs):
        files[f"search/index/d{doc_id:x}.js"] = _doc_file(doc_id, doc, doc.body()) if doc_id in changed_set else None
    return files, SearchIndex(urls, fps, new_shards, texts)


def _text_digest(title: str, text: str) -> bytes:
    return hashlib.blake2b(f"{title}\0{text}".encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _posting_at(listed: str, key: str) -> tuple[int, int]:
    """Return where the posting of the document `key` ("id.") is in a posting list, or (-1, -1)."""
    if listed.startswith(key):
        start = 0
    else:
        start = listed.find("," + key)
        if start < 0:
            return -1, -1
        start += 1
    end = listed.find(",", start)
    return start, len(listed) if end < 0 else end


def _remove_doc(doc_id: int, where: Sequence[int], shard: Callable[[int], dict[str, str]]) -> None:
    """Take a document's postings out of every term of the shards it was in."""
    key = f"{doc_id:x}."
    for k in where:
        part = shard(k)
        for term, listed in list(part.items()):
            start, end = _posting_at(listed, key)
            if start < 0:
                continue
            rest = (listed[: max(0, start - 1)] + listed[end:]) if start else listed[end + 1 :]
            if rest:
                part[term] = rest
            else:
                del part[term]


def _patch_terms(doc_id: int, old: dict[str, str], new: dict[str, str], shard: Callable[[int], dict[str, str]],
                 shard_at: dict[str, int]) -> None:
    """Change a document's postings from `old` to `new`, term by term, where they differ."""
    key = f"{doc_id:x}."
    for term in old.keys() | new.keys():
        before, after = old.get(term), new.get(term)
        if before == after:
            continue
        part = shard(shard_at[term])
        listed = part.get(term, "")
        start, end = _posting_at(listed, key) if before is not None else (-1, -1)
        if start >= 0:
            if after is not None:
                part[term] = listed[:start] + after + listed[end:]
                continue
            rest = (listed[: start - 1] + listed[end:]) if start else listed[end + 1 :]
            if rest:
                part[term] = rest
            else:
                del part[term]
            continue
        if after is None:
            continue
        if not listed:
            part[term] = after
        else:
            items = listed.split(",")
            bisect.insort(items, after, key=_doc_of)
            part[term] = ",".join(items)


def _full(docs: list[SearchDoc], fps: list[bytes],
          sink: Callable[[str, bytes], None] | None = None) -> tuple[dict[str, bytes | None], SearchIndex]:
    import numpy  # noqa: F401  (imported before the workers are forked, so that they inherit it)

    n = shard_count(len(docs))
    merged: defaultdict[str, list[str]] = defaultdict(list)  # term -> its postings from each chunk
    doc_shards: list[bytes] = []
    texts: list[bytes] = []
    files: dict[str, bytes | None] = {}

    def emit(rel: str, data: bytes) -> None:
        if sink is not None:
            sink(rel, data)
            files[rel] = None
        else:
            files[rel] = data

    emit("search/index/meta.js", _call("meta", {"shards": n, "docs": len(docs)}))
    global _DOCS
    _DOCS = docs  # the workers, forked from this process, read the documents from here
    try:
        size = max(1, -(-len(docs) // 8))
        jobs = [(start, min(start + size, len(docs)), n) for start in range(0, len(docs), size)]
        # Chunks arrive in document order and are merged one by one, each let go once merged: every
        # term's postings from the chunk go onto its list (in C), to be joined once, in document order.
        # The chunk's text files are made here, as it arrives, not by the workers: the workers finish
        # chunks faster than the files are written, and would have them wait here in memory.
        parts = map_all(_index_chunk, jobs, threshold=2 if len(docs) >= PARALLEL_DOCS else 1 << 30)
        for (start, end, _), (part, part_docs) in zip(jobs, parts, strict=True):
            deque(map(list.append, map(merged.__getitem__, part), part.values()), maxlen=0)
            doc_shards += part_docs
            del part
            for doc_id in range(start, end):
                text = docs[doc_id].body()
                texts.append(_text_digest(docs[doc_id].title, text))
                emit(f"search/index/d{doc_id:x}.js", _doc_file(doc_id, docs[doc_id], text))
    finally:
        _DOCS = []
    shard = shard_table(n)
    by_shard: list[list[str]] = [[] for _ in range(n)]
    for term in merged:
        by_shard[shard[term]].append(term)
    for k, found in enumerate(by_shard):
        emit(f"search/index/s{k}.js", _shard_file(k, {term: ",".join(merged.pop(term)) for term in found}))
        by_shard[k] = []
    return dict(sorted(files.items())), SearchIndex([d.url for d in docs], fps, doc_shards, texts)


# Indexing is split over the cores from this many documents on. Below it the pool saves little time
# (this process makes the text and shard files either way) and costs half as much CPU again:
# 1,200 documents took 0.47 s and 0.77 s of CPU on two cores, 0.50 s in one process.
PARALLEL_DOCS = 2000
_DOCS: list[SearchDoc] = []
# A Latin word's code in _index_chunk: this plus the word's number; a Chinese bigram's code, its two
# characters' code points (all below 0x10000) side by side, is always less.
_WORD_CODE = 1 << 32


class _Numbering(dict[str, int]):
    """Gives each new key the next number."""

    def __missing__(self, key: str) -> int:
        number = self[key] = len(self)
        return number


def _index_chunk(job: tuple[int, int, int]) -> tuple[dict[str, str], list[bytes]]:
    """Index documents [start, end): each term's postings and the shards each document is in.

    The postings are doc_postings's, made with numpy for the whole chunk at once: every occurrence of
    a term becomes an integer key, term code * documents + document, and sorting the keys counts
    them and puts each term's documents in order. Python runs per document and per term, never per
    occurrence.
    """
    import numpy as np

    start, end, n = job
    count = end - start
    words = _Numbering()  # Latin word -> its number in this chunk
    titles = _Texts()  # each document's title, normalised ...
    bodies = _Texts()  # ... and its title and text, as terms() reads them
    for local, doc_id in enumerate(range(start, end)):
        doc = _DOCS[doc_id]
        titles.add(normalise(doc.title), local, words)
        bodies.add(normalise(doc.title + "\n" + doc.body()), local, words)
    keys, counts = _unique(bodies.keys(count))
    title_keys, _ = _unique(titles.keys(count))
    del bodies, titles
    # "t" where the term is in the title as well (the title's terms are all in the document, which
    # starts with it; the check keeps doc_postings's rule should one not be).
    in_title = np.zeros(len(keys), np.int64)
    where = np.searchsorted(keys, title_keys)
    where = where[where < len(keys)]  # title keys past the last key are the largest: these are cut off
    in_title[where[keys[where] == title_keys[: len(where)]]] = 1
    docs_at = keys % count

    # A posting's text, "id.count" and "t" if in the title, is made once for each document and variant
    # (the count's rank among the counts seen in this chunk, doubled, plus the title mark) and shared.
    seen = np.flatnonzero(np.bincount(counts))
    rank = np.zeros(int(seen[-1]) + 1 if len(seen) else 0, np.int64)
    rank[seen] = np.arange(len(seen))
    variants = 2 * len(seen)
    variant_at = docs_at * variants
    variant_at += rank[counts] * 2
    variant_at += in_title
    del counts, in_title
    used = np.zeros(count * variants, bool)
    used[variant_at] = True
    made = np.flatnonzero(used)
    number_of = np.cumsum(used) - 1
    seen_counts = seen.tolist()
    made_texts = np.array([f"{start + d:x}.{seen_counts[v >> 1]}{'t' if v & 1 else ''}"
                           for d, v in zip((made // variants).tolist(), (made % variants).tolist(), strict=True)],
                          dtype=object)
    postings: list[str] = made_texts[number_of[variant_at]].tolist()
    del used, made, number_of, variant_at, made_texts

    # Each term's postings, in document order (the keys are sorted by term, then document).
    terms_at = keys // count
    del keys
    firsts = np.flatnonzero(np.diff(terms_at, prepend=-1))
    word_list = list(words)
    names = [chr(c >> 16) + chr(c & 0xFFFF) if c < _WORD_CODE else word_list[c - _WORD_CODE]
             for c in terms_at[firsts].tolist()]
    del terms_at
    bounds = firsts.tolist()
    bounds.append(len(postings))
    joined = {term: ",".join(postings[a:b]) for term, (a, b) in zip(names, pairwise(bounds), strict=True)}
    del postings

    # The shards each document is in: (document, shard) of every posting, sorted without repeats.
    shard = shard_table(n)
    term_shards = np.fromiter(map(shard.__getitem__, names), np.int64, len(names))
    docs_at *= n
    docs_at += np.repeat(term_shards, np.diff(bounds))
    doc_shard, _ = _unique(docs_at)
    cut = np.searchsorted(doc_shard // n, np.arange(count + 1)).tolist()
    shards_in = (doc_shard % n).astype("=u2")  # as array("H") stores them
    doc_shards = [shards_in[a:b].tobytes() for a, b in pairwise(cut)]
    return joined, doc_shards


class _Texts:
    """Texts, one for each document of a chunk, and the Latin words in them; then every term's key."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.words: list[int] = []  # every Latin word found, by its number ...
        self.docs: list[int] = []  # ... and the document it is in

    def add(self, text: str, doc: int, words: _Numbering) -> None:
        found = _WORDS(text)
        self.words += map(words.__getitem__, found)
        self.docs += [doc] * len(found)
        self.texts.append(text)

    def keys(self, count: int) -> NDArray[np.int64]:
        """The key of every occurrence of a term: its code * count + its document."""
        import numpy as np
        # The texts as one array of code points, a line break between each two (it is not Chinese, so
        # no bigram spans two texts), and a bigram's code, its two code points side by side (both are
        # below 0x10000), wherever two Chinese characters meet.
        chars = np.frombuffer("\n".join(self.texts).encode("utf-32-le"), dtype=np.uint32)
        chinese = _chinese_table()[chars]
        pair = chinese[:-1] & chinese[1:]
        del chinese
        lengths = np.fromiter(map(len, self.texts), np.int64, len(self.texts)) + 1
        docs = np.repeat(np.arange(len(self.texts), dtype=np.int32), lengths)[: max(0, len(chars) - 1)][pair]
        keys = chars[:-1][pair].astype(np.int64)
        keys <<= 16
        keys |= chars[1:][pair]
        keys *= count
        keys += docs
        words = np.array(self.words, np.int64)
        words += _WORD_CODE
        words *= count
        words += np.array(self.docs, np.int64)
        return np.concatenate([keys, words])


def _unique(a: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The sorted distinct values of an integer array and how often each occurs (as np.unique, faster).
    Sorts `a` in place."""
    import numpy as np

    a.sort()
    first = np.empty(len(a), bool)
    first[:1] = True
    np.not_equal(a[1:], a[:-1], out=first[1:])
    at = np.flatnonzero(first)
    return a[at], np.diff(at, append=len(a))


@functools.cache
def _chinese_table() -> NDArray[np.bool_]:
    """For every code point, whether it is a Chinese character (one that bigrams are made of)."""
    import numpy as np

    table = np.zeros(0x110000, bool)
    for first, last in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)):
        table[first : last + 1] = True
    return table


def _read_shard(path: Path, k: int) -> dict[str, str]:
    text = path.read_text("utf-8")
    head = f"cadreSearch.shard({k},"
    if not text.startswith(head) or not text.endswith(");\n"):
        raise ValueError(f"{path} is not a search shard")
    data = json.loads(text[len(head) : -3])
    return dict(data)


def _doc_of(posting: str) -> int:
    return int(posting[: posting.index(".")], 16)


def _fingerprint(doc: SearchDoc) -> bytes:
    text = doc.key.hex() if doc.key else doc.body()
    return hashlib.blake2b(f"{doc.url}\0{doc.title}\0{text}".encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _shard_file(k: int, part: dict[str, str]) -> bytes:
    """The script of shard k: its terms and their postings as a JSON object, keys sorted.

    Written out directly, a quarter of the time json.dumps takes: a term is Chinese characters or
    ASCII letters and digits and a posting list is hexadecimal, digits, ".", "t" and ",", so nothing
    needs escaping and the bytes are those _call would give (tests/test_search.py checks it).
    """
    if not part:
        return _call("shard", k, {})
    terms = sorted(part)
    body = b'","'.join(map(b'":"'.join, zip(map(str.encode, terms), map(str.encode, map(part.__getitem__, terms)),
                                            strict=True)))
    return b'cadreSearch.shard(%d,{"%s"});\n' % (k, body)


def _doc_file(doc_id: int, doc: SearchDoc, text: str) -> bytes:
    return _call("doc", doc_id, [doc.url, doc.title, text[:MAX_TEXT]])


def _call(name: str, *args: object) -> bytes:
    body = ",".join(json.dumps(a, ensure_ascii=False, separators=(",", ":"), sort_keys=True) for a in args)
    return f"cadreSearch.{name}({body});\n".encode()
