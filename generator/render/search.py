"""The search index: built at build time, shipped as scripts, so search works offline and from file://.

Chinese text is indexed by character bigrams (any run of two or more Chinese characters can be
found, not only whole words) and Latin text by words. Postings are split into shards by a hash of
the term that the browser computes the same way, so a query loads only the shards of its own terms;
each document's text is its own small file, loaded only for candidates, to confirm the characters
are adjacent (调解 never matches 调…解), rank titles over bodies and show a highlighted snippet.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
WORD = re.compile(r"[a-z0-9]+")
SHARD_BYTES = 48 * 1024
MAX_TEXT = 30_000


@dataclass(frozen=True)
class SearchDoc:
    url: str  # site path of the page, e.g. "skills/x/"
    title: str
    text: str


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


def build_index(docs: list[SearchDoc]) -> dict[str, bytes]:
    """Return the index files (site path -> bytes): meta, term shards, one text file per document."""
    postings: dict[str, list[str]] = defaultdict(list)
    for doc_id, doc in enumerate(docs):
        title_terms = terms(doc.title)
        for term, count in sorted(terms(doc.title + "\n" + doc.text).items()):
            # "id.count", with "t" when the term is in the title: compact, and enough to rank.
            postings[term].append(f"{doc_id:x}.{count}{'t' if term in title_terms else ''}")
    size = sum(len(t) * 3 + sum(len(p) + 1 for p in ps) + 6 for t, ps in postings.items())
    shards = max(1, math.ceil(size / SHARD_BYTES))
    split: list[dict[str, str]] = [{} for _ in range(shards)]
    for term in sorted(postings):
        split[shard_of(term, shards)][term] = ",".join(postings[term])
    files: dict[str, bytes] = {
        "search/index/meta.js": _call("meta", {"shards": shards, "docs": len(docs)}),
    }
    for k, part in enumerate(split):
        files[f"search/index/s{k}.js"] = _call("shard", k, part)
    for doc_id, doc in enumerate(docs):
        files[f"search/index/d{doc_id:x}.js"] = _call("doc", doc_id, [doc.url, doc.title, doc.text[:MAX_TEXT]])
    return files


def _call(name: str, *args: object) -> bytes:
    body = ",".join(json.dumps(a, ensure_ascii=False, separators=(",", ":"), sort_keys=True) for a in args)
    return f"cadreSearch.{name}({body});\n".encode()
