// Search in the browser, from the index the build ships as scripts (see generator/render/search.py):
// script tags load from file:// where fetch cannot, so search works offline and opened from disk.
import { MESSAGES, format } from "./messages.mjs";

const CJK_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/gu;
const WORD = /[a-z0-9]+/g;
const MAX_TERMS = 4;
const MAX_VERIFY = 40;

export function normaliseQuery(text) {
  return String(text).normalize("NFKC").toLowerCase();
}

/** FNV-1a over code points, the twin of search.py's shard_of. */
export function shardOf(term, shards) {
  let h = 2166136261;
  for (const ch of term) {
    h ^= ch.codePointAt(0);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h % shards;
}

/** The query's parts (Chinese runs of 2+ characters, Latin words) and the terms to look up. */
export function parseQuery(query) {
  const text = normaliseQuery(query);
  const parts = [];
  for (const run of text.match(CJK_RUN) || []) if (run.length >= 2) parts.push(run);
  for (const word of text.replace(CJK_RUN, " ").match(WORD) || []) if (word.length > 1 || /\d/.test(word)) parts.push(word);
  const terms = [];
  for (const part of parts) {
    if (/^[a-z0-9]+$/.test(part)) terms.push(part);
    else {
      // Every bigram would load many shards for a long query; a spread of a few narrows the
      // candidates as well, and the text check below confirms the whole run.
      const grams = [];
      for (let i = 0; i + 1 < part.length; i++) grams.push(part.slice(i, i + 2));
      const step = Math.max(1, Math.ceil(grams.length / MAX_TERMS));
      for (let i = 0; i < grams.length; i += step) terms.push(grams[i]);
      if (!terms.includes(grams[grams.length - 1])) terms.push(grams[grams.length - 1]);
    }
  }
  return { parts, terms: [...new Set(terms)] };
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function countIn(haystack, needle) {
  let n = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) n++;
  return n;
}

/** A snippet around the first match, with every match marked. */
export function snippet(text, parts, width = 60) {
  const low = normaliseQuery(text);
  let first = -1;
  for (const p of parts) {
    const at = low.indexOf(p);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  const start = Math.max(0, first - width / 2);
  const piece = text.slice(start, start + width * 2);
  const lowPiece = normaliseQuery(piece);
  const marks = [];
  for (const p of parts) {
    for (let at = lowPiece.indexOf(p); at >= 0; at = lowPiece.indexOf(p, at + p.length)) marks.push([at, at + p.length]);
  }
  marks.sort((a, b) => a[0] - b[0]);
  let html = "";
  let pos = 0;
  for (const [a, b] of marks) {
    if (a < pos) continue;
    html += escapeHtml(piece.slice(pos, a)) + "<mark>" + escapeHtml(piece.slice(a, b)) + "</mark>";
    pos = b;
  }
  html += escapeHtml(piece.slice(pos));
  return (start > 0 ? "…" : "") + html + (start + width * 2 < text.length ? "…" : "");
}

/** Rank verified documents: a match in the title first, then more matches in the text. */
export function rank(docs, parts) {
  const scored = [];
  for (const [id, [url, title, text]] of docs) {
    const lowTitle = normaliseQuery(title);
    const lowText = normaliseQuery(text);
    if (!parts.every((p) => lowTitle.includes(p) || lowText.includes(p))) continue;
    const inTitle = parts.filter((p) => lowTitle.includes(p)).length;
    const count = parts.reduce((n, p) => n + countIn(lowText, p), 0);
    scored.push({ id, url, title, text, score: inTitle * 1000 + count });
  }
  return scored.sort((a, b) => b.score - a.score || a.id - b.id);
}

export function initSearch() {
  const form = document.getElementById("search-form");
  if (!form) return;
  const out = document.getElementById("search-results");
  const base = form.dataset.index;
  const root = form.dataset.root;
  const loaded = new Map();
  const state = { meta: null, shards: new Map(), docs: new Map() };
  window.cadreSearch = {
    meta: (m) => { state.meta = m; },
    shard: (k, data) => { state.shards.set(k, data); },
    doc: (id, d) => { state.docs.set(id, d); },
  };
  const load = (name) => {
    if (!loaded.has(name)) {
      loaded.set(name, new Promise((resolve, reject) => {
        const s = document.createElement("script");
        s.src = `${base}${name}.js`;
        s.onload = resolve;
        s.onerror = () => reject(new Error(name));
        document.head.append(s);
      }));
    }
    return loaded.get(name);
  };

  async function search(query) {
    const { parts, terms } = parseQuery(query);
    if (!parts.length) {
      out.replaceChildren(message(query.trim() ? MESSAGES.search_too_short : ""));
      return;
    }
    out.replaceChildren(message(MESSAGES.search_loading));
    try {
      await load("meta");
      const shards = state.meta.shards;
      await Promise.all([...new Set(terms.map((t) => shardOf(t, shards)))].map((k) => load(`s${k}`)));
      let candidates = null;
      for (const term of terms) {
        const list = state.shards.get(shardOf(term, shards))[term];
        const docs = new Map();
        for (const item of list ? list.split(",") : []) {
          const [id, rest] = item.split(".");
          docs.set(parseInt(id, 16), (rest.endsWith("t") ? 1000 : 0) + parseInt(rest, 10));
        }
        candidates = candidates === null ? docs : new Map([...candidates].filter(([id]) => docs.has(id)).map(([id, s]) => [id, s + docs.get(id)]));
      }
      const best = [...candidates].sort((a, b) => b[1] - a[1]).slice(0, MAX_VERIFY).map(([id]) => id);
      await Promise.all(best.map((id) => load(`d${id.toString(16)}`)));
      const results = rank(best.map((id) => [id, state.docs.get(id)]), parts);
      render(results, parts, query);
    } catch {
      out.replaceChildren(message(MESSAGES.search_failed));
    }
  }

  function message(text) {
    const p = document.createElement("p");
    p.className = "muted";
    p.textContent = text;
    return p;
  }

  function render(results, parts, query) {
    const list = document.createElement("ol");
    list.className = "results";
    for (const r of results) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = `${root}${r.url.split("/").map(encodeURIComponent).join("/")}index.html`;
      a.innerHTML = snippet(r.title, parts, 40).replace(/^…|…$/g, "");
      const p = document.createElement("p");
      p.className = "snippet";
      p.innerHTML = snippet(r.text, parts);
      li.append(a, p);
      list.append(li);
    }
    out.replaceChildren(message(format(results.length ? MESSAGES.search_count : MESSAGES.search_none, { n: results.length, q: query })), list);
  }

  const params = new URLSearchParams(location.search);
  const q = params.get("q") || "";
  form.elements.q.value = q;
  if (q) search(q);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = form.elements.q.value;
    history.replaceState(null, "", `?q=${encodeURIComponent(value)}`);
    search(value);
  });
}
