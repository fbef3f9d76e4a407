"""load_project(dir) -> Project: every file read, validated and cross-checked, all errors at once."""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any, TypeVar

from .cache import BuildState
from .content.config import load_curriculum, load_site
from .content.models import UNREAD, Cadre, Guide, Project, Service, Skill
from .content.pages import discover_skills, load_guide, load_skill
from .content.roster import find_roster, load_roster
from .content.services import load_services
from .errors import Diagnostic, Diagnostics
from .quiz.bank import Bank, StoredBank, bank_levels, load_bank
from .render.parallel import map_all, workers
from .yamlloc import Pos

T = TypeVar("T")


def load_project(root: Path | str, diags: Diagnostics | None = None, state: BuildState | None = None) -> Project:
    """Return the validated project in `root`; raise ProjectError unless a collector is given.

    With a build `state`, files whose content hash is unchanged since it was saved are not parsed
    again: their result (and the warnings they gave) is reused.
    """
    root = Path(root).resolve()
    memo = _Memo(state, diags or Diagnostics(root))
    own = diags is None
    diags = memo.diags
    content = root / "content"
    if not content.is_dir():
        diags.error(root, 0, 0, "no content/ folder here: is this a cadre project? (try 'cadre init DIR')")
        diags.raise_if_errors()
    site = load_site(content / "site.yaml", diags)
    curriculum, curriculum_refs = load_curriculum(content / "curriculum.yaml", diags)
    # None or empty when the curriculum could not say: its own error is reported, references are not.
    category_ids = curriculum_refs.categories
    level_ids = {lv.id for lv in curriculum.levels}

    skills: dict[str, Skill] = {}
    prereq_refs: dict[str, tuple[tuple[str, Pos], ...]] = {}
    # Skills whose file could not be read: already reported, so references to them are not.
    unreadable: set[str] = set()
    found = [(folder, index, bundle, sorted(bundle.glob("*.md")) if bundle is not None else [])
             for folder, index, bundle in discover_skills(content / "skills")]
    keys = [(folder, *memo.files([index, *lessons])) for folder, index, _, lessons in found]
    memo.prefetch("skill", [(index, key, load_skill, (folder, index, bundle))
                            for (folder, index, bundle, _), key in zip(found, keys, strict=True)])
    for (folder, index, bundle, _), key in zip(found, keys, strict=True):
        loaded = memo("skill", index, key, load_skill, folder, index, bundle, keep=_without_body)
        if loaded is None:
            unreadable.add(bundle.name if bundle else index.stem)
            continue
        skill, refs = loaded
        if skill.id in skills:
            other = diags.rel(skills[skill.id].source)
            diags.error(index, 1, 1, f"duplicate skill id '{skill.id}' (also used by {other})")
            continue
        for category, p in refs["category"]:
            if category and category_ids is not None and category not in category_ids:
                diags.error(index, p.line, p.column, _unknown("category", category, category_ids))
        for level, p in refs["levels"]:
            if level_ids and level not in level_ids:
                diags.error(index, p.line, p.column, f"level {level} is not one of the curriculum's levels ({_join(level_ids)})")
        skills[skill.id] = skill
        prereq_refs[skill.id] = refs["prerequisites"]
        if not skill.levels and level_ids:
            skills[skill.id] = _with_levels(skill, tuple(sorted(level_ids)))
    for skill in skills.values():
        for prereq, p in prereq_refs[skill.id]:
            if prereq == skill.id:
                diags.error(skill.source, p.line, p.column, f"skill '{skill.id}' cannot be its own prerequisite")
            elif prereq not in skills and prereq not in unreadable:
                diags.error(skill.source, p.line, p.column, _unknown("prerequisite skill", prereq, skills))
    _check_cycles(skills, prereq_refs, diags)

    known_or_reported = set(skills) | unreadable
    for sid, p in curriculum_refs.skills:
        if sid not in known_or_reported:
            diags.error(content / "curriculum.yaml", p.line, p.column, _unknown("skill", sid, skills))

    guides: dict[str, Guide] = {}
    guides_dir = content / "guides"
    if guides_dir.is_dir():
        for path in sorted(guides_dir.glob("*.md")):
            guide = memo("guide", path, memo.files([path]), load_guide, path, keep=_without_body)
            if guide is not None:
                guides[guide.slug] = guide
    guides = dict(sorted(guides.items(), key=lambda kv: (kv[1].order, kv[0])))

    cadres: list[Cadre] = []
    roster = find_roster(content, diags)
    if roster is not None:
        cadres, where = memo("roster", roster, memo.files([roster]), load_roster, roster)
        for cadre in cadres:
            for elective in cadre.electives:
                p = where[cadre.id].get(f"elective:{elective}", Pos(0, 0))
                if elective not in known_or_reported:
                    diags.error(roster, p.line, p.column, _unknown("elective skill", elective, skills))
            if curriculum.electives_min and len(cadre.electives) < curriculum.electives_min:
                p = where[cadre.id]["row"]
                diags.warning(
                    roster, p.line, p.column,
                    f"cadre '{cadre.id}' ({cadre.name}) has {len(cadre.electives)} elective(s); "
                    f"the curriculum asks for at least {curriculum.electives_min}",
                )
    else:
        diags.warning(content, 0, 0, "no roster (content/cadres.yaml, .csv or .xlsx): the service guide will be empty")

    services: list[Service] = []
    services_file = content / "services.yaml"
    if services_file.is_file():
        services, service_refs = load_services(services_file, diags)
        for kind, ref, p in service_refs:
            known = category_ids if kind == "category" else set(skills)
            if ref and known is not None and ref not in known and ref not in unreadable:
                diags.error(services_file, p.line, p.column, _unknown(kind, ref, known))

    for township in curriculum.required_townships:
        if cadres and township not in {c.township for c in cadres}:
            message = f"township '{township}' has required skills but no cadre in the roster"
            diags.warning(content / "curriculum.yaml", 0, 0, message)

    banks = load_banks(root / "quizzes", skills, {lv.id for lv in curriculum.levels}, diags, memo, unreadable=unreadable)

    project = Project(
        root=root,
        site=site,
        curriculum=curriculum,
        skills=dict(sorted(skills.items(), key=lambda kv: (kv[1].category, kv[0]))),
        guides=guides,
        cadres=tuple(cadres),
        services=tuple(services),
        banks=banks,
    )
    if own:
        diags.raise_if_errors()
    return project


def load_banks(folder: Path, skills: dict[str, Skill], level_ids: set[int], diags: Diagnostics,
               memo: _Memo | None = None, *, unreadable: Collection[str] = ()) -> dict[str, Bank]:
    """Return every question bank by skill id; warn about skill levels with no questions.

    The banks of `unreadable` skills (already reported) are checked, but not kept, and their
    skill is not reported unknown.
    """
    memo = memo or _Memo(None, diags)
    levels_key = tuple(sorted(level_ids))
    banks: dict[str, Bank] = {}
    skill_levels = {**dict.fromkeys(unreadable, ()), **{s.id: s.levels for s in skills.values()}}
    if folder.is_dir():
        paths = sorted(folder.iterdir())
        keys = {path: (*memo.files([path]), skill_levels.get(path.stem), path.stem in skill_levels, levels_key)
                for path in paths if path.suffix == ".yaml" and not path.name.startswith(".")}
        memo.prefetch("bank", [(path, key, load_bank, (path, skill_levels, level_ids)) for path, key in keys.items()])
        for path in paths:
            if path.suffix == ".yml" or (path.suffix == ".yaml" and path.name.startswith(".")):
                diags.warning(path, 0, 0, "ignored: a bank is named <skill-id>.yaml")
            if path.suffix != ".yaml" or path.name.startswith("."):
                continue
            bank = memo("bank", path, keys[path], load_bank, path, skill_levels, level_ids, keep=_stored_bank)
            if isinstance(bank, StoredBank) and bank.reload is None:
                bank.reload = functools.partial(load_bank, path, skill_levels, level_ids, Diagnostics(diags.root))
            if bank is not None and bank.skill in skills:
                banks[bank.skill] = bank
    for skill in skills.values():
        bank = banks.get(skill.id)
        if bank is None:
            diags.warning(skill.source, 0, 0, f"skill '{skill.id}' has no question bank (quizzes/{skill.id}.yaml)")
            continue
        present = bank_levels(bank)
        missing = [lv for lv in skill.levels if lv not in present]
        if missing:
            levels = ", ".join(str(lv) for lv in missing)
            diags.warning(bank.path, 0, 0, f"skill '{skill.id}' offers level {levels} but its bank has no questions for it")
    return banks


# Files are read on every core from this many on (a pool costs more than it saves below).
PARALLEL_FILES = 400
# What the pool's workers read: (loader, its arguments) — set before they are forked.
_LOADS: list[tuple[Callable[..., Any], tuple[Any, ...]]] = []
_ROOT = Path()


def _load_span(span: tuple[int, int]) -> list[tuple[Any, list[Diagnostic]]]:
    """Run the loaders [start, end) of _LOADS; return each result with what it reported."""
    out = []
    for load, args in _LOADS[span[0] : span[1]]:
        diags = Diagnostics(_ROOT)
        out.append((load(*args, diags), diags.items))
    return out


class _Memo:
    """Calls a loader, or reuses its result from the build state when its files are unchanged."""

    def __init__(self, state: BuildState | None, diags: Diagnostics) -> None:
        self.state, self.diags = state, diags
        self.ready: dict[tuple[str, str], tuple[Any, list[Diagnostic]]] = {}

    def files(self, paths: list[Path]) -> tuple[Any, ...]:
        return self.state.files_key(paths) if self.state is not None else ()

    def prefetch(self, kind: str, calls: list[tuple[Path, tuple[Any, ...], Callable[..., Any], tuple[Any, ...]]]) -> None:
        """Run on every core, ahead of time, the loaders (path, key, load, args) whose result the
        state does not have; __call__ then hands over their results and reports what they found,
        in the order it is called, so that the diagnostics are those of loading one by one."""
        memo = self.state.memo if self.state is not None else {}
        todo = []
        for path, key, load, args in calls:
            hit = memo.get((kind, str(path)))
            if hit is None or hit[0] != key:
                todo.append(((kind, str(path)), load, args))
        if len(todo) < PARALLEL_FILES or workers() < 2:
            return
        global _LOADS, _ROOT
        _LOADS, _ROOT = [(load, args) for _, load, args in todo], self.diags.root
        try:
            size = 50
            spans = [(i, min(i + size, len(todo))) for i in range(0, len(todo), size)]
            results = [r for part in map_all(_load_span, spans, threshold=1) for r in part]
        finally:
            _LOADS = []
        for (slot, _, _), result in zip(todo, results, strict=True):
            self.ready[slot] = result

    def __call__(self, kind: str, path: Path, key: tuple[Any, ...], load: Callable[..., T], *args: Any,
                 keep: Callable[[T], T] | None = None) -> T:
        """Return load(*args, diags)."""
        ready = self.ready.pop((kind, str(path)), None)
        if ready is not None:
            result, found = ready

            def load_ready(*_: Any) -> T:
                self.diags.items.extend(found)
                return result  # type: ignore[no-any-return]

            load = load_ready
        if self.state is None:
            return load(*args, self.diags)
        return self.state.memo_call(kind, str(path), key, self.diags, lambda: load(*args, self.diags), keep)


def _stored_bank(bank: Bank | None) -> Any:
    """What the build cache keeps of a bank: a summary; the questions are read again if needed."""
    return StoredBank(bank) if isinstance(bank, Bank) else bank


def _without_body(result: Any) -> Any:
    """What the build cache keeps of a skill or guide: all but the Markdown text (read again when needed)."""
    from dataclasses import replace

    if isinstance(result, tuple) and result and isinstance(result[0], Skill):
        skill = result[0]
        lessons = tuple(replace(lsn, body=UNREAD) for lsn in skill.lessons)
        return (replace(skill, body=UNREAD, lessons=lessons), *result[1:])
    if isinstance(result, Guide):
        return replace(result, body=UNREAD)
    return result


def _with_levels(skill: Skill, levels: tuple[int, ...]) -> Skill:
    from dataclasses import replace

    return replace(skill, levels=levels)


def _check_cycles(skills: dict[str, Skill], refs: dict[str, tuple[tuple[str, Pos], ...]], diags: Diagnostics) -> None:
    """Report each prerequisite cycle once, at the entry that closes it (skills walked in id order).

    A skill that is its own prerequisite is reported as that, not as a cycle. The walk keeps its
    own stack: a long chain of prerequisites must not exhaust Python's.
    """
    state: dict[str, int] = {}  # 1 while on the current trail, 2 when done
    reported: set[tuple[str, str]] = set()
    for start in sorted(skills):
        if start in state:
            continue
        state[start] = 1
        trail, pending = [start], [iter(refs[start])]
        while pending:
            sid = trail[-1]
            for nxt, p in pending[-1]:
                if nxt == sid or nxt not in skills:
                    continue
                if state.get(nxt) == 1 and (sid, nxt) not in reported:
                    reported.add((sid, nxt))
                    cycle = " -> ".join([*trail[trail.index(nxt):], nxt])
                    diags.error(skills[sid].source, p.line, p.column, f"prerequisites form a cycle: {cycle}")
                elif nxt not in state:
                    state[nxt] = 1
                    trail.append(nxt)
                    pending.append(iter(refs[nxt]))
                    break
            else:
                state[sid] = 2
                trail.pop()
                pending.pop()


def _unknown(kind: str, value: str, known: object) -> str:
    import difflib

    names = sorted(str(k) for k in known)  # type: ignore[attr-defined]
    close = difflib.get_close_matches(value, names, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown {kind} '{value}'{hint}"


def _join(ids: set[int]) -> str:
    return ", ".join(str(i) for i in sorted(ids))
