"""Attempts: draw, clock, autosave and grading, shared by the exam server and paper exams.

The server keeps the clock: a deadline is stored when the attempt starts, a submission after the
deadline plus GRACE is refused, and an attempt left open past it is graded from its last autosave.
Grading, marking the attempt submitted and writing the certificate happen in one transaction, and
only an attempt not yet submitted can be graded, so every attempt is graded exactly once.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..content.models import Cadre, Project
from ..ledger.log import Ledger
from ..quiz.bank import Bank, Question
from ..quiz.draw import Shown, draw, to_bank_response
from ..quiz.grading import display_score, grade, passed, score_of
from ..store.db import Database
from .accounts import from_iso, iso

GRACE = dt.timedelta(seconds=60)
PAPER_VALIDITY = dt.timedelta(days=90)
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class ExamError(Exception):
    """A refusal the API turns into `{"error": code, "message": ...}` with `status`."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


def new_attempt_id() -> str:
    """Return an unguessable attempt code that is easy to copy from paper: XXXX-XXXX-XXXX."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


@dataclass(frozen=True)
class Attempt:
    id: str
    cadre_id: str
    skill_id: str
    level: int
    source: str
    shown: tuple[Shown, ...]
    started_at: dt.datetime
    deadline: dt.datetime
    responses: dict[str, Any]
    submitted_at: dt.datetime | None
    result: dict[str, Any] | None

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Attempt:
        (aid, cadre_id, skill_id, level, source, questions, started, deadline, responses, submitted, result) = row
        return cls(
            aid, cadre_id, skill_id, int(level), source,
            tuple(Shown(q["id"], tuple(q["order"])) for q in json.loads(questions)),
            from_iso(started), from_iso(deadline), json.loads(responses),
            from_iso(submitted) if submitted else None, json.loads(result) if result else None,
        )


_COLUMNS = "id, cadre_id, skill_id, level, source, questions, started_at, deadline, responses, submitted_at, result"


def shown_answer(q: Question, shown: Shown) -> Any:
    """Return the right answer in the letters and order the cadre saw."""
    pos = {bank: i for i, bank in enumerate(shown.order)}
    if q.type in ("single", "multiple"):
        bank = str(q.raw.get("answer", "")).upper()
        return "".join(sorted(LETTERS[pos.get(ord(x) - 65, ord(x) - 65)] for x in bank))
    if q.type == "order":
        return "".join(LETTERS[pos[i]] for i in range(len(q.items)))
    if q.type == "match":
        return " ".join(f"{i + 1}{LETTERS[pos[i]]}" for i in range(len(q.pairs)))
    if q.type == "fill":
        return [str(b[0] if isinstance(b, list) else b) for b in q.raw.get("answer", [])]
    return q.raw.get("answer")


class Exams:
    """The exam rules over one project, one database and its ledger."""

    def __init__(
        self, project: Project, db: Database, ledger: Ledger, views: dict[tuple[str, str], dict[str, Any]],
        new_id: Callable[[], str] = new_attempt_id,
    ) -> None:
        self.new_id = new_id
        self.project = project
        self.db = db
        self.ledger = ledger
        self.views = views
        self.cadres = {c.id: c for c in project.cadres}

    def cadre(self, cadre_id: str) -> Cadre | None:
        return self.cadres.get(cadre_id)

    def bank(self, skill_id: str) -> Bank:
        return self.project.banks[skill_id]

    # -- what a cadre may take ---------------------------------------------------------------

    def attempts_left(self, cadre_id: str, skill_id: str, level: int) -> int:
        """Blueprint attempts minus those started since the cadre last passed this skill and level."""
        rows = self.db.query(
            "SELECT started_at, passed FROM attempts WHERE cadre_id = ? AND skill_id = ? AND level = ? ORDER BY started_at",
            (cadre_id, skill_id, level),
        )
        since = 0
        for _started, was_passed in rows:
            since = 0 if was_passed else since + 1
        return max(0, self.bank(skill_id).blueprint(level).attempts - since)

    def held_levels(self, cadre_id: str, now: dt.datetime) -> dict[str, set[int]]:
        held: dict[str, set[int]] = {}
        for cert in self.ledger.certificates_of(cadre_id):
            if cert.status(now) == "valid":
                held.setdefault(cert.skill_id, set()).add(cert.level)
        return held

    def options(self, cadre_id: str, now: dt.datetime) -> list[dict[str, Any]]:
        """Return the exams a cadre may start now: level 1 of any skill, a higher level once the one below is held."""
        self.finalize_expired(cadre_id, now)
        held = self.held_levels(cadre_id, now)
        names = {lv.id: lv.name for lv in self.project.curriculum.levels}
        out = []
        for skill_id, bank in self.project.banks.items():
            skill = self.project.skills[skill_id]
            for level in skill.levels:
                blueprint = bank.blueprint(level)
                if not blueprint.sections:
                    continue
                lower = [lv for lv in skill.levels if lv < level]
                if lower and max(lower) not in held.get(skill_id, set()):
                    continue
                left = self.attempts_left(cadre_id, skill_id, level)
                out.append({
                    "skill_id": skill_id, "skill_title": skill.title, "level": level,
                    "level_name": names.get(level, str(level)), "minutes": blueprint.minutes, "attempts_left": left,
                })
        return out

    # -- one attempt ---------------------------------------------------------------------------

    def start(self, cadre_id: str, skill_id: str, level: int, now: dt.datetime, source: str = "online") -> Attempt:
        """Draw and store a new attempt; refuse when not allowed, out of attempts, or one is open."""
        allowed = {(o["skill_id"], o["level"]): o for o in self.options(cadre_id, now)}
        option = allowed.get((skill_id, level))
        if option is None:
            raise ExamError(403, "not_allowed", "你现在不能参加这项考试(需要先取得下一级以下的证书,或这项技能没有该等级的考试)。")
        if option["attempts_left"] <= 0:
            raise ExamError(403, "no_attempts_left", "这项考试的次数已经用完。")
        if source == "online":
            open_row = self.db.one(
                "SELECT id FROM attempts WHERE cadre_id = ? AND source = 'online' AND submitted_at IS NULL", (cadre_id,)
            )
            if open_row:
                raise ExamError(409, "attempt_open", "你还有一场没有交卷的考试,请先完成它。", attempt_id=open_row[0])
        bank = self.bank(skill_id)
        attempt_id = self.new_id()
        shown = draw(bank, level, seed=attempt_id)
        length = dt.timedelta(minutes=bank.blueprint(level).minutes) if source == "online" else PAPER_VALIDITY
        started = now.replace(microsecond=0)
        questions = json.dumps([{"id": s.id, "order": list(s.order)} for s in shown], separators=(",", ":"))
        with self.db.transaction():
            self.db.execute(
                f"INSERT INTO attempts ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)",
                (attempt_id, cadre_id, skill_id, level, source, questions, iso(started), iso(started + length), "{}"),
            )
        return self.get(attempt_id)

    def get(self, attempt_id: str, cadre_id: str | None = None) -> Attempt:
        row = self.db.one(f"SELECT {_COLUMNS} FROM attempts WHERE id = ?", (attempt_id,))
        if row is None or (cadre_id is not None and row[1] != cadre_id):
            raise ExamError(404, "not_found", "没有找到这场考试。")
        return Attempt.from_row(row)

    def payload(self, attempt: Attempt, with_responses: bool = False) -> dict[str, Any]:
        """Return what the cadre sees of an attempt: the questions in their shown order, never an answer."""
        body: dict[str, Any] = {
            "attempt_id": attempt.id, "skill_id": attempt.skill_id, "level": attempt.level,
            "deadline": iso(attempt.deadline), "questions": [self.question_payload(attempt.skill_id, s) for s in attempt.shown],
        }
        if with_responses:
            body["responses"] = attempt.responses
            body["submitted"] = attempt.submitted_at is not None
            if attempt.result is not None:
                body["result"] = attempt.result
        return body

    def question_payload(self, skill_id: str, shown: Shown) -> dict[str, Any]:
        view = self.views[(skill_id, shown.id)]
        q = {"id": view["id"], "type": view["type"], "prompt": view["prompt"], "points": view["points"]}
        if "options" in view:
            q["options"] = [view["options"][i] for i in shown.order]
        if "items" in view:
            q["items"] = [view["items"][i] for i in shown.order]
        if "left" in view:
            q["left"] = view["left"]
            q["right"] = [view["right"][i] for i in shown.order]
        if view["type"] == "fill":
            q["blanks"] = view["prompt"].count('class="blank"')
        if view["type"] == "numeric":
            q["unit"] = view.get("unit", "")
        return q

    def save(self, attempt_id: str, cadre_id: str, responses: Any, now: dt.datetime) -> None:
        """Autosave responses; refused once submitted or past the deadline plus grace."""
        attempt = self.get(attempt_id, cadre_id)
        clean = self._clean(attempt, responses)
        if attempt.submitted_at is not None:
            raise ExamError(409, "submitted", "这场考试已经交卷,不能再修改答案。")
        if now > attempt.deadline + GRACE:
            self.finalize_expired(cadre_id, now)
            raise ExamError(409, "late", "考试时间已到,答案不能再保存;系统已按最后一次保存的答案评分。")
        with self.db.transaction():
            self.db.execute(
                "UPDATE attempts SET responses = ?, saved_at = ? WHERE id = ? AND submitted_at IS NULL",
                (json.dumps(clean, ensure_ascii=False), iso(now), attempt_id),
            )

    def submit(self, attempt_id: str, cadre_id: str, responses: Any, now: dt.datetime) -> dict[str, Any]:
        """Grade and close an attempt; a late or repeated submission is refused with the recorded result."""
        attempt = self.get(attempt_id, cadre_id)
        clean = self._clean(attempt, responses)
        if attempt.submitted_at is not None:
            raise ExamError(409, "submitted", "这场考试已经交过卷了。", result=attempt.result)
        if now > attempt.deadline + GRACE:
            result = self.finish(attempt, attempt.responses, now)
            raise ExamError(409, "late", "交卷时间已过,系统已按最后一次保存的答案评分。", result=result)
        result = self.finish(attempt, clean, now)
        if result is None:
            raise ExamError(409, "submitted", "这场考试已经交过卷了。", result=self.get(attempt_id).result)
        return result

    def _clean(self, attempt: Attempt, responses: Any) -> dict[str, Any]:
        if responses is None:
            return {}
        if not isinstance(responses, dict):
            raise ExamError(400, "bad_request", "答案的格式不对:应当是题号到答案的对应。")
        ids = {s.id for s in attempt.shown}
        return {k: v for k, v in responses.items() if k in ids}

    def finish(self, attempt: Attempt, responses: dict[str, Any], now: dt.datetime) -> dict[str, Any] | None:
        """Grade `responses`, close the attempt and record a pass in the ledger, all at once.

        Returns the result, or None when the attempt was already closed (by another request).
        """
        bank = self.bank(attempt.skill_id)
        level = self.project.curriculum.level(attempt.level)
        earned = possible = Fraction(0)
        per_question = []
        for shown in attempt.shown:
            q = bank.question(shown.id)
            got = grade(q.raw, to_bank_response(q, shown, responses.get(q.id)))
            earned += got
            possible += q.points
            per_question.append({
                "id": q.id, "earned": str(got), "points": str(q.points), "answer": shown_answer(q, shown),
                "explanation": self.views[(attempt.skill_id, q.id)].get("explanation", ""),
            })
        score = score_of(earned, possible)
        ok = passed(score, level.pass_mark)
        result: dict[str, Any] = {
            "score": display_score(score), "passed": ok, "pass_mark": level.pass_mark,
            "questions": per_question, "certificate": None,
        }
        cadre = self.cadres.get(attempt.cadre_id)
        with self.db.transaction(ledger=ok):
            changed = self.db.execute(
                "UPDATE attempts SET submitted_at = ?, earned = ?, possible = ?, score = ?, passed = ?, responses = ? "
                "WHERE id = ? AND submitted_at IS NULL",
                (iso(now), str(earned), str(possible), str(score), int(ok),
                 json.dumps(responses, ensure_ascii=False), attempt.id),
            )
            if changed != 1:
                return None
            if ok:
                skill = self.project.skills[attempt.skill_id]
                entry = self.ledger.issue_or_renew(
                    cadre_id=attempt.cadre_id, cadre_name=cadre.name if cadre else attempt.cadre_id,
                    skill_id=skill.id, skill_title=skill.title, level=level.id, score=display_score(score),
                    issuer=level.issuer, validity_years=level.validity_years, attempt_id=attempt.id, now=now,
                )
                result["certificate"] = {"cert_id": entry["cert_id"], "level": level.id, "expires_at": entry["expires_at"]}
            self.db.execute("UPDATE attempts SET result = ? WHERE id = ?", (json.dumps(result, ensure_ascii=False), attempt.id))
        return result

    def finalize_expired(self, cadre_id: str, now: dt.datetime) -> None:
        """Grade, from their last autosave, this cadre's online attempts whose time ran out."""
        rows = self.db.query(
            f"SELECT {_COLUMNS} FROM attempts WHERE cadre_id = ? AND source = 'online' AND submitted_at IS NULL AND deadline < ?",
            (cadre_id, iso(now - GRACE)),
        )
        for row in rows:
            attempt = Attempt.from_row(row)
            self.finish(attempt, attempt.responses, now)
