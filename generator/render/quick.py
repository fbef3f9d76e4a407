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

import dataclasses
import os
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cache import BuildState
from ..content.models import Guide, Project
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
    search_entries,
    skill_pages,
)


@dataclass
class Snapshot:
    """What a successful build leaves in the in-memory state for the next one to redo only edited text."""

    root: Path
    target: Path
    options: tuple[bool, str | None]  # demo, ledger
    ledger: tuple[Any, ...] | None  # what the ledger's files looked like (None: not a file)
    project: Project
    compiled: Compiled  # its documents are not kept: `ids` says what each defines
    ids: dict[Path, frozenset[str]]
    owners: dict[Path, tuple[str, str]]  # document source -> ("skill", id) or ("guide", slug)
    before: list[Diagnostic]  # the project's diagnostics before the documents' ...
    after: list[Diagnostic]  # ... and after them (practice pages, closing warnings)
    documents: list[SearchDoc]
    position: dict[Path, int]  # document source -> its place in `documents`
    copies: dict[str, Path]
    result: BuildResult


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


def take_snapshot(state: BuildState, root: Path, target: Path, options: tuple[bool, str | None],
                  ledger: tuple[Any, ...] | None, project: Project, compiled: Compiled, ids: dict[Path, frozenset[str]],
                  diags: Diagnostics, documents: list[SearchDoc], copies: dict[str, Path], result: BuildResult) -> None:
    found = sum(len(f[2]) for f in compiled.found_by.values())
    start = compiled.diags_after - found
    owners: dict[Path, tuple[str, str]] = {}
    for skill in project.skills.values():
        owners[_real(skill.source)] = ("skill", skill.id)
        for lesson in skill.lessons:
            owners[_real(lesson.source)] = ("skill", skill.id)
    for guide in project.guides.values():
        owners[_real(guide.source)] = ("guide", guide.slug)
    compiled = dataclasses.replace(compiled, docs={})
    state.snapshot = Snapshot(
        root, target, options, ledger, project, compiled, ids, owners, diags.items[:start],
        diags.items[compiled.diags_after:], documents,
        {entry[0]: i for i, entry in enumerate(search_entries(project))}, copies, result,
    )


def quick_rebuild(state: BuildState, changed: Collection[Path], root: Path, target: Path,
                  options: tuple[bool, str | None]) -> BuildResult | None:
    """Rebuild after `changed` (every file changed since the last build) if only Markdown text
    changed; return None, having changed nothing, when the full path must run instead."""
    snap = state.snapshot
    if snap is None or not changed or (snap.root, snap.target, snap.options) != (root, target, options):
        return None
    if snap.ledger is None or ledger_signature(root, options[1], options[0]) != snap.ledger:
        return None
    if state.out is None or state.out != _identity(target):
        return None
    project, compiled = snap.project, snap.compiled
    edited: dict[Path, tuple[str, int]] = {}  # document -> its new text and where the text starts
    owners = set()
    for path in changed:
        real = _real(Path(path))
        if real not in snap.owners:
            return None
        owners.add(snap.owners[real])
        edited[real] = ("", 0)
    for kind, name in sorted(owners):
        texts = _reload(state, project, kind, name)
        if texts is None:
            return None
        for real in edited:
            if real in texts:
                edited[real] = texts[real]
    if any(line == 0 for _, line in edited.values()):
        return None
    links = compiled.links
    jobs: list[Job] = [(real, text, line, links.pages[real]) for real, (text, line) in sorted(edited.items())]
    scratch = Diagnostics(root)
    results = render_all(jobs, links, scratch, project.site.unsafe_html)
    found_by: dict[Path, Found] = dict(compiled.found_by)
    ids = dict(snap.ids)
    for job, (rendered, anchors, assets, found) in zip(jobs, results, strict=True):
        if any(d.severity == "error" for d in found) or set(assets) != set(found_by[job[0]][1]):
            return None  # the full path reports the errors; new pictures change what is copied
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
    view = dataclasses.replace(compiled, docs=_Docs(rendered_by))
    wanted = {links.pages[real] for real in rendered_by}
    for kind, name in sorted(owners):
        if kind == "skill":
            made = skill_pages(project, view, project.skills[name], labels, t)
        else:
            made = [guide_page(view, _guide(project, name), t)]
        pages += [page for page in made if page.path in wanted]
    fingerprints: dict[str, tuple[bytes, bytes]] = {}
    files: dict[str, bytes | None] = {rel: None for rel in state.outputs if rel not in snap.copies}
    files.update(render_pages(project, pages, t, options[0], state.pages, fingerprints, state.known))
    documents = list(snap.documents)
    for real, rendered in rendered_by.items():
        i = snap.position[real]
        old = documents[i]
        head = search_entries_head(project, snap.owners[real], real)
        documents[i] = SearchDoc(old.url, old.title, head + rendered.text)
    index_files, state.search = build_index(documents, state.search, target)
    files.update(index_files)
    for job in jobs:
        key = (compiled.links_key, job[2], job[3], state.file_digest(job[0]))
        state.memo[("doc", str(job[0]))] = (key, (ids[job[0]], *found_by[job[0]]), ())
        state.store("doc", str(job[0]), key, rendered_by[job[0]])
    state.flush()
    state.outputs = update_site(target, files, snap.copies, state.outputs, state)
    state.pages.update(fingerprints)

    diags = Diagnostics(root)
    diags.items = [*snap.before, *(d for _, _, each in found_by.values() for d in each), *snap.after]
    result: BuildResult = dataclasses.replace(snap.result, warnings=tuple(diags.warnings))
    snap.compiled = dataclasses.replace(compiled, found_by=found_by)
    snap.ids, snap.documents, snap.result = ids, documents, result
    snap.ledger = ledger_signature(root, options[1], options[0])
    state.snapshot = snap
    return result


class _Docs(dict[Path, Any]):
    """The documents of a quick rebuild: those rendered again; the pages of others are not made."""

    def __missing__(self, key: Path) -> Any:
        return None


def _reload(state: BuildState, project: Project, kind: str, name: str) -> dict[Path, tuple[str, int]] | None:
    """Read a skill or guide again; return the text of each of its documents if its front matter,
    lessons and findings are what the last build remembered, else None."""
    scratch = Diagnostics(project.root)
    if kind == "skill":
        skill = project.skills[name]
        index, bundle = skill.source, skill.bundle
        folder = (bundle or index).parent.name
        loaded = load_skill(folder, index, bundle, scratch)
        hit = state.memo.get(("skill", str(index)))
        if loaded is None or hit is None or _without_body(loaded) != hit[1] or tuple(scratch.items) != tuple(hit[2]):
            return None
        new = loaded[0]
        texts = {_real(new.source): (new.body, new.body_line)}
        texts.update({_real(lsn.source): (lsn.body, lsn.body_line) for lsn in new.lessons})
        return texts
    guide = _guide(project, name)
    loaded_guide = load_guide(guide.source, scratch)
    hit = state.memo.get(("guide", str(guide.source)))
    if loaded_guide is None or hit is None or _without_body(loaded_guide) != hit[1] or tuple(scratch.items) != tuple(hit[2]):
        return None
    return {_real(loaded_guide.source): (loaded_guide.body, loaded_guide.body_line)}


def _guide(project: Project, slug: str) -> Guide:
    return project.guides[slug]


def search_entries_head(project: Project, owner: tuple[str, str], real: Path) -> str:
    kind, name = owner
    if kind == "guide":
        return f"{project.guides[name].summary}\n"
    skill = project.skills[name]
    return f"{skill.summary}\n" if _real(skill.source) == real else ""
