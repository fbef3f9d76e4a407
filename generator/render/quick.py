"""Rebuilding after a trainer edits the text of a module: only its page and its search entry.

`cadre serve --watch` keeps the build state in memory and knows, from the file watcher, which files
changed since the last build. When they are all skill, lesson or guide Markdown files whose front
matter is unchanged (the usual edit: a trainer fixing the text), nothing any other page shows has
changed: the skill's title, summary, levels and prerequisites are the same objects as before. So the
rebuild renders those documents again, checks their links and the anchors every page points at,
renders their own pages, patches the search index and writes what changed. Anything else (a new
or deleted file, front matter, a bank, the curriculum, the roster, the ledger) takes the full
incremental path in site.build_site; both give the same site, byte for byte, as a cold build
(tests/test_incremental.py compares them).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import pickle
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cache import CACHE_DIR, BuildState, digest, write_pickle
from ..content.models import Project
from ..content.pages import load_guide, load_skill
from ..errors import Diagnostic, Diagnostics
from ..i18n import Translator
from ..markdown import Links, check_anchors
from ..project import _without_body
from ..store.db import ledger_url
from .output import update_site
from .parallel import Job, render_all
from .search import SearchDoc, build_index
from .site import (
    BuildResult,
    Compiled,
    Found,
    _identity,
    _real,
    guide_page,
    render_pages,
    required_labels,
    skill_pages,
)


class Lazy(dict[Any, Any]):
    """A dict whose values may stay pickled (bytes) until asked for: a new process reading a snapshot
    unpickles only the skills it renders, not all ten thousand."""

    def __getitem__(self, key: Any) -> Any:
        value = super().__getitem__(key)
        if isinstance(value, bytes):
            value = pickle.loads(value)
            super().__setitem__(key, value)
        return value

    def get(self, key: Any, default: Any = None) -> Any:
        if key not in self:
            return default
        return self[key]

    def values(self) -> Any:
        return [self[key] for key in self]

    def items(self) -> Any:
        return [(key, self[key]) for key in self]

    def __reduce__(self) -> tuple[Any, ...]:
        packed = {k: v if isinstance(v, bytes) else pickle.dumps(v, pickle.HIGHEST_PROTOCOL) for k, v in dict.items(self)}
        return (Lazy, (packed,))


class StrPaths(dict[Any, Any]):
    """A dict keyed by paths, kept as strings: a snapshot read by a new process makes no Path objects
    (some 37,000 of them at 10,000 skills took a third of a second)."""

    def __init__(self, items: Any = ()) -> None:
        super().__init__((os.fspath(k), v) for k, v in (items.items() if isinstance(items, dict) else items))

    def __getitem__(self, key: Any) -> Any:
        return super().__getitem__(os.fspath(key))

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(os.fspath(key), value)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, (str, os.PathLike)) and super().__contains__(os.fspath(key))

    def get(self, key: Any, default: Any = None) -> Any:
        return super().get(os.fspath(key), default)

    def __reduce__(self) -> tuple[Any, ...]:
        return (StrPaths, (dict(self),))


@dataclass
class Snapshot:
    """What a successful build leaves for the next one to redo only edited text: in memory for
    `serve --watch`, and in `.cadre-cache/snapshot.pickle` for the next `cadre build`."""

    root: Path
    target: Path
    options: tuple[bool, str | None]  # demo, ledger
    ledger: tuple[Any, ...] | None  # what the ledger's files looked like (None: not a file)
    project: Project  # without banks; its skills a Lazy dict
    links: Links  # what links may point to (pages, bundles, the content folder)
    links_key: bytes
    practice: dict[str, int]
    practice_json: dict[str, str]
    found_by: dict[Path, Found]  # in document order
    ids: dict[Path, frozenset[str]]  # what each document defines (on disk: only those anchors point at)
    ids_complete: bool
    owners: dict[Path, tuple[str, str]]  # document source -> ("skill", id) or ("guide", slug)
    loaded: Lazy  # ("skill", id) or ("guide", slug) -> what the cache kept of loading it, and its findings
    before: list[Diagnostic]  # the project's diagnostics before the documents' ...
    after: list[Diagnostic]  # ... and after them (practice pages, closing warnings)
    documents: list[SearchDoc]
    position: dict[Path, int]  # document source -> its place in `documents`
    copies: dict[str, Path]
    result: BuildResult
    scan: dict[str, tuple[int, int, int]] | None = None  # every input file's stat, for a new process
    token: bytes = b""

    def __getstate__(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        targets = {os.fspath(ref.target) for anchors, _, _ in self.found_by.values() for ref in anchors}
        data["ids"] = StrPaths((k, v) for k, v in StrPaths(self.ids).items() if k in targets)
        data["ids_complete"] = False
        data["links"] = (str(self.links.content), StrPaths(self.links.pages), StrPaths(self.links.bundles))
        data["found_by"] = [(str(p), f) if any(f) else str(p) for p, f in self.found_by.items()]
        data["owners"] = StrPaths(self.owners)
        data["position"] = None  # document order: the owners' order
        data["documents"] = [(d.url, d.title, d.key) for d in self.documents]  # keys only: see site.build_site
        data["copies"] = {k: str(v) for k, v in self.copies.items()}
        return data

    def __setstate__(self, data: dict[str, Any]) -> None:
        content, pages, bundles = data["links"]
        data["links"] = Links(Path(content), pages, bundles)
        data["found_by"] = StrPaths((e, ([], {}, [])) if isinstance(e, str) else e for e in data["found_by"])
        data["position"] = StrPaths((path, i) for i, path in enumerate(data["owners"]))
        data["documents"] = [SearchDoc(url, title, "", key) for url, title, key in data["documents"]]
        data["copies"] = {k: Path(v) for k, v in data["copies"].items()}
        self.__dict__.update(data)


def ledger_signature(root: Path, ledger: str | None, demo: bool) -> tuple[Any, ...] | None:
    """Return what a SQLite ledger's files look like now (every commit changes them); None for PostgreSQL."""
    url = ledger_url(root, ledger, demo)
    if url.startswith(("postgresql://", "postgres://")):
        return None
    seen: list[Any] = []
    for suffix in ("", "-wal", "-journal"):
        try:
            st = os.stat(url + suffix)
        except OSError:
            seen.append(None)
            continue
        seen.append((st.st_mtime_ns, st.st_size, st.st_ino))
    return tuple(seen)


def scan(root: Path) -> dict[str, tuple[int, int, int]]:
    """Return the stat of every file under content/ and quizzes/: what a new process compares to find
    what changed since the last build (taken before that build read anything)."""
    found: dict[str, tuple[int, int, int]] = {}

    def walk(folder: str) -> None:
        with contextlib.suppress(OSError), os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path)
                else:
                    with contextlib.suppress(OSError):
                        st = entry.stat()
                        found[entry.path] = (st.st_mtime_ns, st.st_size, st.st_ino)

    for name in ("content", "quizzes"):
        walk(str(root / name))
    return found


def changed_since(snap: Snapshot, now: dict[str, tuple[int, int, int]]) -> set[Path] | None:
    """Return the files changed since the snapshot's build; None if files were added or removed."""
    if snap.scan is None or now.keys() != snap.scan.keys():
        return None
    old = snap.scan
    return {Path(path) for path, stat in now.items() if old[path] != stat}


def take_snapshot(state: BuildState, root: Path, target: Path, options: tuple[bool, str | None],
                  ledger: tuple[Any, ...] | None, project: Project, compiled: Compiled, ids: dict[Path, frozenset[str]],
                  diags: Diagnostics, documents: list[SearchDoc], copies: dict[str, Path], result: BuildResult,
                  files: dict[str, tuple[int, int, int]] | None) -> Snapshot:
    found = sum(len(f[2]) for f in compiled.found_by.values())
    start = compiled.diags_after - found
    owners: dict[Path, tuple[str, str]] = {}
    loaded = Lazy()
    for skill in project.skills.values():
        owners[_real(skill.source)] = ("skill", skill.id)
        for lesson in skill.lessons:
            owners[_real(lesson.source)] = ("skill", skill.id)
        hit = state.memo.get(("skill", str(skill.source)))
        if hit is not None:
            loaded[("skill", skill.id)] = (hit[1], hit[2])
    for guide in project.guides.values():
        owners[_real(guide.source)] = ("guide", guide.slug)
        hit = state.memo.get(("guide", str(guide.source)))
        if hit is not None:
            loaded[("guide", guide.slug)] = (hit[1], hit[2])
    # Pages show the skills' front matter, never their text (the documents stand for that).
    skills = Lazy({sid: _without_body((skill,))[0] for sid, skill in project.skills.items()})
    light = dataclasses.replace(project, skills=skills, guides={g: _without_body(v) for g, v in project.guides.items()},
                                banks={})
    links = compiled.links
    return Snapshot(
        root, target, options, ledger, light, Links(links.content, links.pages, links.bundles), compiled.links_key,
        compiled.practice, compiled.practice_json, compiled.found_by, ids, True, owners, loaded,
        diags.items[:start], diags.items[compiled.diags_after:], documents,
        {path: i for i, path in enumerate(owners)}, copies, result, files,
    )


def save_snapshot(snap: Snapshot, root: Path) -> None:
    """Write the snapshot beside the state (same token); a snapshot that cannot be written is skipped."""
    with contextlib.suppress(OSError):
        write_pickle(root / CACHE_DIR / "snapshot.pickle", snap)


def load_snapshot(root: Path, token: bytes) -> Snapshot | None:
    """Return the snapshot the saved state was written with, or None."""
    try:
        with open(root / CACHE_DIR / "snapshot.pickle", "rb") as fh:
            snap = pickle.load(fh)
    except Exception:  # missing, damaged or foreign: the full path runs
        return None
    return snap if isinstance(snap, Snapshot) and token and snap.token == token else None


def quick_rebuild(state: BuildState, changed: Collection[Path], root: Path, target: Path,
                  options: tuple[bool, str | None], saved: bool = False) -> BuildResult | None:
    """Rebuild after `changed` (every file changed since the last build) if only Markdown text
    changed; return None, having changed nothing, when the full path must run instead. With
    `saved`, the state saved in the project is forgotten before the site changes (a build killed
    while writing is then followed by a cold one)."""
    snap = state.snapshot
    if snap is None or (snap.root, snap.target, snap.options) != (root, target, options):
        return None
    if snap.ledger is None or ledger_signature(root, options[1], options[0]) != snap.ledger:
        return None
    if state.out is None or state.out != _identity(target):
        return None
    if not changed:
        nothing: BuildResult = snap.result
        return nothing
    project, links = snap.project, snap.links
    edited: dict[Path, tuple[str, int]] = {}  # document -> its new text and where the text starts
    owners = set()
    for path in changed:
        real = _real(Path(path))
        if real not in snap.owners:
            return None
        owners.add(snap.owners[real])
        edited[real] = ("", 0)
    for kind, name in sorted(owners):
        texts = _reload(snap, kind, name)
        if texts is None:
            return None
        for real in edited:
            if real in texts:
                edited[real] = texts[real]
    if any(line == 0 for _, line in edited.values()):
        return None
    jobs: list[Job] = [(real, text, line, links.pages[real]) for real, (text, line) in sorted(edited.items())]
    scratch = Diagnostics(root)
    results = render_all(jobs, links, scratch, project.site.unsafe_html)
    found_by: dict[Path, Found] = type(snap.found_by)(snap.found_by)
    ids = type(snap.ids)(snap.ids)
    for job, (rendered, anchors, assets, found) in zip(jobs, results, strict=True):
        if any(d.severity == "error" for d in found) or set(assets) != set(found_by[job[0]][1]):
            return None  # the full path reports the errors; new pictures change what is copied
        if not snap.ids_complete and any(ref.target in links.pages and ref.target not in ids for ref in anchors):
            return None  # an anchor into a page whose ids were not kept
        found_by[job[0]] = (anchors, assets, found)
        ids[job[0]] = rendered.ids
    check = Links(links.content, links.pages, links.bundles)
    check.anchors = [ref for anchors, _, _ in found_by.values() for ref in anchors]
    check_anchors(check, ids, scratch)
    if scratch.errors:
        return None

    # From here on the site changes: until it is done, the next build takes the full path.
    state.snapshot = None
    rendered_by = {job[0]: r[0] for job, r in zip(jobs, results, strict=True)}
    t = Translator(project.site.locale)
    pages = []
    labels = required_labels(project, t)
    view = Compiled(_Docs(rendered_by), links, snap.practice, snap.practice_json)
    wanted = {links.pages[real] for real in rendered_by}
    for kind, name in sorted(owners):
        if kind == "skill":
            made = skill_pages(project, view, project.skills[name], labels, t)
        else:
            made = [guide_page(view, project.guides[name], t)]
        pages += [page for page in made if page.path in wanted]
    fingerprints: dict[str, tuple[bytes, bytes]] = {}
    files: dict[str, bytes | None] = {rel: None for rel in state.outputs if rel not in snap.copies}
    files.update(render_pages(project, pages, t, options[0], state.pages, fingerprints, state.known))
    documents = list(snap.documents)
    indexed = {}  # what each edited document was indexed with last time, if the cache still has it
    for real in rendered_by:
        before = _stored_text(state, real)
        if before is not None:
            indexed[snap.position[real]] = _head(project, snap.owners[real], real) + before
    for real, rendered in rendered_by.items():
        i = snap.position[real]
        old = documents[i]
        text = _head(project, snap.owners[real], real) + rendered.text
        documents[i] = SearchDoc(old.url, old.title, text, digest(text))
    index_files, state.search = build_index(documents, state.search, target, previous_texts=indexed)
    files.update(index_files)
    for job in jobs:
        key = (snap.links_key, job[2], job[3], state.file_digest(job[0]))
        state.store("doc", str(job[0]), key, rendered_by[job[0]])
        if state.memo_loaded:  # in memory (serve --watch): the next full build reuses these documents
            state.memo[("doc", str(job[0]))] = (key, (ids[job[0]], *found_by[job[0]]), ())
    state.flush()
    if saved:
        BuildState.discard(root)
    state.outputs = update_site(target, files, snap.copies, state.outputs, state)
    state.pages.update(fingerprints)

    diags = Diagnostics(root)
    diags.items = [*snap.before, *(d for _, _, each in found_by.values() for d in each), *snap.after]
    result: BuildResult = dataclasses.replace(snap.result, warnings=tuple(diags.warnings))
    snap.found_by, snap.ids, snap.result = found_by, ids, result
    for real in rendered_by:
        old = documents[snap.position[real]]
        documents[snap.position[real]] = SearchDoc(old.url, old.title, "", old.key)
    snap.documents = documents
    snap.ledger = ledger_signature(root, options[1], options[0])
    state.snapshot = snap
    return result


class _Docs(dict[Path, Any]):
    """The documents of a quick rebuild: those rendered again; the pages of others are not made."""

    def __missing__(self, key: Path) -> Any:
        return None


def _reload(snap: Snapshot, kind: str, name: str) -> dict[Path, tuple[str, int]] | None:
    """Read a skill or guide again; return the text of each of its documents if its front matter,
    lessons and findings are what the last build kept, else None."""
    project = snap.project
    kept = snap.loaded.get((kind, name))
    if kept is None:
        return None
    scratch = Diagnostics(project.root)
    if kind == "skill":
        skill = project.skills[name]
        loaded = load_skill((skill.bundle or skill.source).parent.name, skill.source, skill.bundle, scratch)
        if loaded is None or _without_body(loaded) != kept[0] or tuple(scratch.items) != tuple(kept[1]):
            return None
        new = loaded[0]
        texts = {_real(new.source): (new.body, new.body_line)}
        texts.update({_real(lsn.source): (lsn.body, lsn.body_line) for lsn in new.lessons})
        return texts
    guide = load_guide(project.guides[name].source, scratch)
    if guide is None or _without_body(guide) != kept[0] or tuple(scratch.items) != tuple(kept[1]):
        return None
    return {_real(guide.source): (guide.body, guide.body_line)}


def _stored_text(state: BuildState, real: Path) -> str | None:
    """The text of a document as the cache last stored it (build_index checks it is what was indexed)."""
    text = getattr(state.fetch("doc", str(real)), "text", None)
    return text if isinstance(text, str) else None


def _head(project: Project, owner: tuple[str, str], real: Path) -> str:
    """The text search indexes before a document's own (see site.search_entries)."""
    kind, name = owner
    if kind == "guide":
        return f"{project.guides[name].summary}\n"
    skill = project.skills[name]
    return f"{skill.summary}\n" if _real(skill.source) == real else ""
