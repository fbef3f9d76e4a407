"""Question banks (quizzes/<skill-id>.yaml): loaded into frozen questions, every mistake located."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..content.schema import Fields, describe
from ..errors import Diagnostics
from ..yamlloc import LDict, LList, Pos, load_yaml_file
from .grading import to_fraction

TYPES = ("single", "multiple", "truefalse", "fill", "numeric", "order", "match")
COMMON_KEYS = ("id", "level", "type", "prompt", "explanation", "points", "practice", "exam", "tags")
TYPE_KEYS = {
    "single": ("options", "answer"),
    "multiple": ("options", "answer", "scoring"),
    "truefalse": ("answer",),
    "fill": ("answer",),
    "numeric": ("answer", "tolerance", "unit"),
    "order": ("items",),
    "match": ("pairs",),
}
QUESTION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
BLANK = re.compile(r"_{4,}")
DEFAULT_DRAW = 20
DEFAULT_MINUTES = 30
DEFAULT_ATTEMPTS = 3


@dataclass(frozen=True)
class Question:
    """One question as the bank holds it; `raw` is the mapping the grader takes."""

    id: str
    level: int
    type: str
    prompt: str
    raw: Mapping[str, Any]
    line: int = 0
    options: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    explanation: str = ""
    points: Fraction = Fraction(1)
    practice: bool = False
    exam: bool = True
    tags: tuple[str, ...] = ()

    @property
    def blanks(self) -> int:
        return len(BLANK.findall(self.prompt))


@dataclass(frozen=True)
class Section:
    level: int
    count: int
    tags: tuple[str, ...] = ()
    type: str = ""

    def matches(self, q: Question) -> bool:
        return (
            q.exam
            and q.level == self.level
            and (not self.tags or bool(set(self.tags) & set(q.tags)))
            and (not self.type or q.type == self.type)
        )


@dataclass(frozen=True)
class Blueprint:
    level: int
    minutes: int = DEFAULT_MINUTES
    attempts: int = DEFAULT_ATTEMPTS
    sections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class Bank:
    skill: str
    path: Path
    questions: tuple[Question, ...]
    blueprints: dict[int, Blueprint] = field(default_factory=dict)

    def question(self, qid: str) -> Question:
        return next(q for q in self.questions if q.id == qid)

    @property
    def practice(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.practice)

    def blueprint(self, level: int) -> Blueprint:
        """Return the level's blueprint, or the default: every exam question of the level, up to 20."""
        if level in self.blueprints:
            return self.blueprints[level]
        count = min(DEFAULT_DRAW, sum(1 for q in self.questions if q.exam and q.level == level))
        return Blueprint(level, sections=(Section(level, count),) if count else ())


class StoredBank:
    """A bank as the build cache remembers it: what a build asks of every bank (its skill, file,
    levels and whether it has practice questions). Anything else reads the bank again from its file,
    with `reload`, set by whoever hands the stored bank out."""

    __slots__ = ("_bank", "has_practice", "levels", "path", "reload", "skill")

    def __init__(self, bank: Bank) -> None:
        self.skill, self.path = bank.skill, bank.path
        self.levels = frozenset(q.level for q in bank.questions)
        self.has_practice = bool(bank.practice)
        self.reload: Callable[[], Bank | None] | None = None
        self._bank: Bank | None = None

    def __getstate__(self) -> tuple[str, Path, frozenset[int], bool]:
        return self.skill, self.path, self.levels, self.has_practice

    def __setstate__(self, state: tuple[str, Path, frozenset[int], bool]) -> None:
        self.skill, self.path, self.levels, self.has_practice = state
        self.reload, self._bank = None, None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in StoredBank.__slots__:
            raise AttributeError(name)
        if self._bank is None:
            bank = self.reload() if self.reload is not None else None
            if bank is None:
                raise AttributeError(f"bank {self.path} is not loaded")
            self._bank = bank
        return getattr(self._bank, name)


def bank_levels(bank: Bank | StoredBank) -> frozenset[int]:
    """Return the levels a bank has questions for."""
    return bank.levels if isinstance(bank, StoredBank) else frozenset(q.level for q in bank.questions)


def has_practice(bank: Bank | StoredBank) -> bool:
    return bank.has_practice if isinstance(bank, StoredBank) else bool(bank.practice)


def load_bank(path: Path, skills: Mapping[str, tuple[int, ...]], level_ids: set[int], diags: Diagnostics) -> Bank | None:
    """Return the bank in `path`, checked against the skills (id -> levels offered)."""
    before = diags.count()
    data = load_yaml_file(path, diags)
    if data is None:
        if diags.count() == before:
            diags.error(path, 1, 1, "the bank is empty; it needs 'skill' and 'questions'")
        return None
    f = Fields(diags, path, data, "the bank", ("skill", "exam", "questions"), ("skill", "questions"), at=Pos(1, 1))
    skill = f.text("skill")
    offered: tuple[int, ...] = ()
    if skill:
        if skill != path.stem:
            f.fail("skill", f"the bank is for skill '{skill}' but its file is named {path.name}; name it {skill}.yaml")
        if skill not in skills:
            f.fail("skill", f"unknown skill '{skill}'")
        offered = skills.get(skill, ())
    # Empty when the curriculum's levels could not be read (that error is reported): nothing to check against.
    levels_ok = set(offered) if offered else level_ids
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(f.sequence("questions") or []):
        at = f.data["questions"].item_pos[i]
        q = _question(path, item, at, levels_ok, skill, diags)
        if q is None:
            continue
        if q.id in seen:
            p = item.value_pos.get("id", at)
            diags.error(path, p.line, p.column, f"duplicate question id '{q.id}' (first used at line {seen[q.id]})")
            continue
        seen[q.id] = q.line
        questions.append(q)
    blueprints: dict[int, Blueprint] = {}
    exam = f.mapping("exam")
    if exam is not None:
        blueprints = _blueprints(path, exam, questions, levels_ok, skill, diags)
    return Bank(skill or path.stem, path, tuple(questions), blueprints)


def _question(path: Path, item: Any, at: Pos, levels_ok: set[int], skill: str, diags: Diagnostics) -> Question | None:
    kind = item.get("type") if isinstance(item, dict) else None
    allowed = COMMON_KEYS + TYPE_KEYS.get(kind, ()) if isinstance(kind, str) else COMMON_KEYS + tuple(
        k for keys in TYPE_KEYS.values() for k in keys
    )
    f = Fields(diags, path, item, "a question", allowed, ("id", "level", "type", "prompt"), at=at)
    if not f.ok and not isinstance(item, dict):
        return None
    qid = f.text("id")
    if qid and not QUESTION_ID.match(qid):
        f.fail("id", f"question id '{qid}' must start with a letter or digit and use only letters, digits, '-' and '_'")
    if kind not in TYPES:
        if kind is not None:
            f.fail("type", f"unknown question type '{kind}'; use one of: {', '.join(TYPES)}")
        return None
    level = f.integer("level", 0)
    if level and levels_ok and level not in levels_ok:
        where = f"skill '{skill}'" if skill else "the curriculum"
        f.fail("level", f"level {level} is not offered by {where} (levels: {', '.join(map(str, sorted(levels_ok)))})")
    prompt = f.text("prompt")
    points = Fraction(1)
    if f.has("points"):
        value = f.data["points"]
        parsed = to_fraction(value) if not isinstance(value, str) else None
        if parsed is None or parsed <= 0:
            f.fail("points", f"points must be a positive number, not {value!r}")
        else:
            points = parsed
    for flag in ("practice", "exam"):
        if f.has(flag) and not isinstance(f.data[flag], bool):
            f.fail(flag, f"'{flag}' must be true or false, not {describe(f.data[flag])}")
    options: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    answer = f.data.get("answer")
    if kind in ("single", "multiple"):
        options = tuple(o for o, _ in f.text_list("options"))
        written = f.data.get("options")  # its entries count, even one text_list reported as not text
        if (written is None or isinstance(written, list)) and len(written or ()) < 2:
            f.fail("options", f"a {kind} question needs at least 2 options")
        _check_letters(f, kind, answer, len(written) if isinstance(written, list) else 0)
        scoring = f.data.get("scoring")
        if scoring is not None and scoring not in ("partial", "all-or-nothing"):
            f.fail("scoring", f"scoring must be 'partial' or 'all-or-nothing', not {scoring!r}")
    elif kind == "truefalse":
        if not isinstance(answer, bool):
            f.fail("answer", f"a truefalse answer must be true or false, not {answer!r}")
    elif kind == "fill":
        _check_fill(f, prompt, answer)
    elif kind == "numeric":
        if to_fraction(answer) is None or isinstance(answer, str):
            f.fail("answer", f"a numeric answer must be a number, not {answer!r}")
        tol = f.data.get("tolerance")
        if tol is not None and (isinstance(tol, str) or to_fraction(tol) is None or (to_fraction(tol) or 0) < 0):
            f.fail("tolerance", f"tolerance must be a number of 0 or more, not {tol!r}")
        f.text("unit")
    elif kind == "order":
        items = tuple(t for t, _ in f.text_list("items"))
        written = f.data.get("items")
        if (written is None or isinstance(written, list)) and len(written or ()) < 2:
            f.fail("items", "an order question needs at least 2 items, in the correct order")
        elif len(set(items)) != len(items):
            f.fail("items", "the items of an order question must all differ")
    elif kind == "match":
        pairs = _check_pairs(f)
    if not f.ok or not qid or not level:
        return None
    raw = {k: v for k, v in item.items() if k != "extra"}
    return Question(
        id=qid,
        level=level,
        type=kind,
        prompt=prompt,
        raw=raw,
        line=at.line,
        options=options,
        items=items,
        pairs=pairs,
        explanation=f.text("explanation"),
        points=points,
        practice=item.get("practice") is True,
        exam=item.get("exam") is not False,
        tags=tuple(t for t, _ in f.text_list("tags")),
    )


def _check_letters(f: Fields, kind: str, answer: Any, n: int) -> None:
    if not isinstance(answer, str) or not re.fullmatch(r"[A-Za-z]+", answer.strip()):
        f.fail("answer", f"a {kind} answer must be {'a letter' if kind == 'single' else 'letters'} like "
                         f"{'B' if kind == 'single' else 'ACD'}, not {answer!r}")
        return
    chosen = answer.strip().upper()
    if kind == "single" and len(chosen) != 1:
        f.fail("answer", f"a single answer is one letter, not '{answer}' (use type: multiple for several)")
        return
    if len(set(chosen)) != len(chosen):
        f.fail("answer", f"answer '{answer}' repeats a letter")
        return
    last = chr(ord("A") + n - 1) if n else "A"
    outside = [c for c in chosen if ord(c) - ord("A") >= n]
    if outside and n:
        f.fail("answer", f"answer letter {outside[0]} is outside the {n} options (A–{last})")


def _check_fill(f: Fields, prompt: str, answer: Any) -> None:
    blanks = len(BLANK.findall(prompt))
    if blanks == 0:
        f.fail("prompt", "a fill question's prompt needs at least one blank written ____")
        return
    if not isinstance(answer, list):
        f.fail("answer", f"a fill answer must be a list with one entry per blank, not {describe(answer)}")
        return
    if len(answer) != blanks:
        f.fail("answer", f"the prompt has {blanks} blank(s) but the answer lists {len(answer)}")
        return
    for entry in answer:
        accepted = entry if isinstance(entry, list) else [entry]
        if not accepted or any(isinstance(a, (list, dict, bool)) or a is None or str(a).strip() == "" for a in accepted):
            f.fail("answer", "each blank's answer must be text, or a list of accepted texts")
            return


def _check_pairs(f: Fields) -> tuple[tuple[str, str], ...]:
    raw = f.data.get("pairs")
    if raw is None:
        f.fail("pairs", "a match question needs 'pairs: [[left, right], ...]'")
        return ()
    if not isinstance(raw, LList):
        f.fail("pairs", f"'pairs' must be a list, like [[left, right], ...], not {describe(raw)}")
        return ()
    pairs: list[tuple[str, str]] = []
    for i, pair in enumerate(raw):
        p = raw.item_pos[i]
        if not isinstance(pair, list) or len(pair) != 2 or any(isinstance(x, (list, dict)) or x is None for x in pair):
            f.diags.error(f.path, p.line, p.column, "each pair must be [left, right]")
            f.ok = False
            continue
        pairs.append((str(pair[0]), str(pair[1])))
    if f.ok and len(pairs) < 2:
        f.fail("pairs", "a match question needs at least 2 pairs")
    if len({r for _, r in pairs}) != len(pairs) or len({left for left, _ in pairs}) != len(pairs):
        f.fail("pairs", "the left sides and the right sides of a match question must all differ")
    return tuple(pairs)


def _blueprints(
    path: Path, exam: LDict, questions: list[Question], levels_ok: set[int], skill: str, diags: Diagnostics
) -> dict[int, Blueprint]:
    out: dict[int, Blueprint] = {}
    for key, spec in exam.items():
        if key == "extra":
            continue
        p = exam.key_pos[key]
        try:
            level = int(key)
        except ValueError:
            diags.error(path, p.line, p.column, f"exam levels are numbers, not '{key}'")
            continue
        if levels_ok and level not in levels_ok:
            diags.error(path, p.line, p.column, f"exam blueprint for level {level}, which skill '{skill}' does not offer")
            continue
        bf = Fields(diags, path, spec, f"the level-{level} exam", ("minutes", "attempts", "draw"), ("draw",), at=p)
        minutes = bf.integer("minutes", DEFAULT_MINUTES, minimum=1)
        attempts = bf.integer("attempts", DEFAULT_ATTEMPTS, minimum=1)
        sections: list[Section] = []
        draw = bf.sequence("draw") or LList()
        for i, sec in enumerate(draw):
            sp = draw.item_pos[i]
            sf = Fields(diags, path, sec, "a draw section", ("level", "count", "tags", "type"), ("level", "count"), at=sp)
            s_level = sf.integer("level", 0)
            if s_level and levels_ok and s_level not in levels_ok:
                sf.fail("level", f"level {s_level} is not offered by skill '{skill}'")
            kind = sf.text("type")
            if kind and kind not in TYPES:
                sf.fail("type", f"unknown question type '{kind}'; use one of: {', '.join(TYPES)}")
            section = Section(s_level, sf.integer("count", 0, minimum=1), tuple(t for t, _ in sf.text_list("tags")), kind)
            if sf.ok:
                sections.append(section)
                _check_fill_section(path, sp, level, i, sections, questions, diags)
        if bf.ok and not sections and len(draw) == 0:
            bf.fail("draw", f"the level-{level} exam draws no questions")
        out[level] = Blueprint(level, minutes, attempts, tuple(sections))
    return out


def _check_fill_section(
    path: Path, at: Pos, level: int, index: int, sections: list[Section], questions: list[Question], diags: Diagnostics
) -> None:
    """Report a section that cannot be filled, alone or together with the sections before it."""
    section = sections[-1]
    matching = [q for q in questions if section.matches(q)]
    what = f"level {section.level}" + (f", type {section.type}" if section.type else "") + (
        f", tags {'/'.join(section.tags)}" if section.tags else "")
    if len(matching) < section.count:
        diags.error(
            path, at.line, at.column,
            f"the level-{level} exam cannot be filled: section {index + 1} needs {section.count} questions "
            f"({what}) but the bank has {len(matching)} exam questions that match",
        )
        return
    pool = {q.id for q in questions for s in sections if s.matches(q)}
    needed = sum(s.count for s in sections)
    if len(pool) < needed:
        diags.error(
            path, at.line, at.column,
            f"the level-{level} exam cannot be filled: sections 1–{index + 1} need {needed} different questions "
            f"but only {len(pool)} match them",
        )
