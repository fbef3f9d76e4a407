"""The search index: built at build time, shipped as scripts, so search works offline and from file://.

Chinese text is indexed by character bigrams (any run of two or more Chinese characters can be
found, not only whole words) and Latin text by words. Postings are split into shards by a hash of
the term that the browser computes the same way, so a query loads only the shards of its own terms;
each document's text is its own small file, loaded only for candidates, to confirm the characters
are adjacent (调解 never matches 调…解), rank titles over bodies and show a highlighted snippet.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .parallel import map_all

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
WORD = re.compile(r"[a-z0-9]+")
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
    found: Counter[str] = Counter()
    for run in CJK_RUN.findall(text):
        found.update(run[i : i + 2] for i in range(len(run) - 1))
    found.update(w for w in WORD.findall(text) if len(w) > 1 or w.isdigit())
    return found


def shard_of(term: str, shards: int) -> int:
    """FNV-1a over the term's code points; grading.mjs's twin in search.mjs must agree."""
    h = 2166136261
    for ch in term:
        h = ((h ^ ord(ch)) * 16777619) & 0xFFFFFFFF
    return h % shards


# Shards are counted from the number of documents, not the size of the index, so that editing a
# page never changes how terms are split (only adding or removing pages does).
DOCS_PER_SHARD = 6


def shard_count(docs: int) -> int:
    return max(1, math.ceil(docs / DOCS_PER_SHARD))


def doc_postings(doc_id: int, title: str, text: str) -> dict[str, str]:
    """Return one document's postings: term -> "id.count", with "t" when the term is in the title."""
    title_terms = terms(title)
    found = terms(title + "\n" + text)
    ident = f"{doc_id:x}."
    return {term: f"{ident}{count}{'t' if term in title_terms else ''}" for term, count in found.items()}


@dataclass
class SearchIndex:
    """What the next build needs to patch the index the last one wrote."""

    urls: list[str]
    docs: list[bytes]  # fingerprint of each document (title and text)
    shards: list[bytes]  # the shards each document's terms are in (2 bytes each)


def build_index(docs: list[SearchDoc], previous: SearchIndex | None = None, site: Path | None = None,
                sink: Callable[[str, bytes], None] | None = None) -> tuple[dict[str, bytes | None], SearchIndex]:
    """Return the index files (site path -> bytes, or None where the last build's file is still right)
    and the index to hand to the next build: meta, term shards and one text file per document.

    With the `previous` index of the same pages, whose files are in `site`, only documents whose
    title or text changed are indexed again, and only the shards holding their terms are written.
    A full index hands its files to `sink`, if given, as they are made (their values are then None).
    """
    fps = [_fingerprint(d) for d in docs]
    urls = [d.url for d in docs]
    if previous is None or previous.urls != urls or site is None:
        return _full(docs, fps, sink)
    changed = [i for i, fp in enumerate(fps) if previous.docs[i] != fp]
    if len(changed) > len(docs) // 8:
        return _full(docs, fps, sink)  # patching one document at a time only pays for a few
    n = shard_count(len(docs))
    files: dict[str, bytes | None] = {"search/index/meta.js": None}
    shards: dict[int, dict[str, str]] = {}
    new_shards = list(previous.shards)

    def shard(k: int) -> dict[str, str]:
        if k not in shards:
            shards[k] = _read_shard(site / f"search/index/s{k}.js", k)
        return shards[k]

    for doc_id in changed:
        key = f"{doc_id:x}."
        for k in array("H", previous.shards[doc_id]):
            part = shard(k)
            for term, listed in list(part.items()):
                if "," + key not in "," + listed:
                    continue
                kept = [p for p in listed.split(",") if not p.startswith(key)]
                if kept:
                    part[term] = ",".join(kept)
                else:
                    del part[term]
        fresh = doc_postings(doc_id, docs[doc_id].title, docs[doc_id].body())
        mine = set()
        for term, posting in fresh.items():
            k = shard_of(term, n)
            mine.add(k)
            part = shard(k)
            old = part.get(term)
            if old is None:
                part[term] = posting
            else:
                items = old.split(",")
                bisect.insort(items, posting, key=_doc_of)
                part[term] = ",".join(items)
        new_shards[doc_id] = array("H", sorted(mine)).tobytes()
    for k in range(n):
        files[f"search/index/s{k}.js"] = _shard_file(k, shards[k]) if k in shards else None
    changed_set = set(changed)
    for doc_id, doc in enumerate(docs):
        files[f"search/index/d{doc_id:x}.js"] = _doc_file(doc_id, doc, doc.body()) if doc_id in changed_set else None
    return files, SearchIndex(urls, fps, new_shards)


def _full(docs: list[SearchDoc], fps: list[bytes],
          sink: Callable[[str, bytes], None] | None = None) -> tuple[dict[str, bytes | None], SearchIndex]:
    n = shard_count(len(docs))
    merged: list[dict[str, str]] = [{} for _ in range(n)]
    doc_shards: list[bytes] = []
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
        # Chunks arrive in document order and are merged one by one, each let go once merged.
        for part_shards, part_docs, part_files in map_all(_index_chunk, jobs,
                                                          threshold=2 if len(docs) >= PARALLEL_DOCS else 1 << 30):
            for k, part in part_shards.items():
                target = merged[k]
                for term, postings in part.items():
                    old = target.get(term)
                    target[term] = postings if old is None else f"{old},{postings}"
            doc_shards += part_docs
            for rel, data in part_files.items():
                emit(rel, data)
            del part_shards, part_files
    finally:
        _DOCS = []
    for k, part in enumerate(merged):
        emit(f"search/index/s{k}.js", _shard_file(k, part))
        merged[k] = {}
    return dict(sorted(files.items())), SearchIndex([d.url for d in docs], fps, doc_shards)


# Indexing is split over the cores from this many documents on.
PARALLEL_DOCS = 400
_DOCS: list[SearchDoc] = []


def _index_chunk(job: tuple[int, int, int]) -> tuple[dict[int, dict[str, str]], list[bytes], dict[str, bytes]]:
    """Index documents [start, end): their postings by shard, the shards each is in, and their text files."""
    start, end, n = job
    shards: dict[int, dict[str, list[str]]] = {}
    doc_shards: list[bytes] = []
    files: dict[str, bytes] = {}
    where: dict[str, int] = {}
    for doc_id in range(start, end):
        doc = _DOCS[doc_id]
        text = doc.body()
        mine = set()
        for term, posting in doc_postings(doc_id, doc.title, text).items():
            k = where.get(term)
            if k is None:
                k = where[term] = shard_of(term, n)
            mine.add(k)
            shards.setdefault(k, {}).setdefault(term, []).append(posting)
        doc_shards.append(array("H", sorted(mine)).tobytes())
        files[f"search/index/d{doc_id:x}.js"] = _doc_file(doc_id, doc, text)
    joined = {k: {term: ",".join(ps) for term, ps in part.items()} for k, part in shards.items()}
    return joined, doc_shards, files


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
    return _call("shard", k, dict(sorted(part.items())))


def _doc_file(doc_id: int, doc: SearchDoc, text: str) -> bytes:
    return _call("doc", doc_id, [doc.url, doc.title, text[:MAX_TEXT]])


def _call(name: str, *args: object) -> bytes:
    body = ",".join(json.dumps(a, ensure_ascii=False, separators=(",", ":"), sort_keys=True) for a in args)
    return f"cadreSearch.{name}({body});\n".encode()
