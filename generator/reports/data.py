"""Report data: plain tables (columns and rows), computed from the project, the ledger and attempts.

Every report is a `Table`, so the command line can print it as a table, CSV or JSON and the site
can render it, from one computation.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..content.models import Project
from ..i18n import Translator
from ..ledger.log import Certificate, parse_time
from ..quiz.grading import display_score
from ..quiz.stats import Response, item_stats, test_stats
from ..store.db import Database

REPORTS = ("coverage", "expiring", "training", "items")


@dataclass(frozen=True)
class Table:
    """One report: a title, named columns, rows, and the summary lines above it."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    notes: list[str] = field(default_factory=list)
    sections: dict[str, Any] = field(default_factory=dict)


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}" if whole else "—"


def coverage(project: Project, certs: list[Certificate], as_of: dt.datetime, t: Translator) -> Table:
    """Every cadre against min_certificates and their required skills; who falls short and why."""
    cur = project.curriculum
    valid: dict[str, set[str]] = defaultdict(set)
    count: dict[str, int] = defaultdict(int)
    for cert in certs:
        if cert.status(as_of) == "valid":
            valid[cert.cadre_id].add(cert.skill_id)
            count[cert.cadre_id] += 1
    rows = []
    groups: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for cadre in project.cadres:
        required = [s for s in cur.required_for(cadre.post, cadre.township) if s in project.skills]
        held = [s for s in required if s in valid[cadre.id]]
        enough = count[cadre.id] >= cur.min_certificates
        missing = [project.skills[s].title for s in required if s not in valid[cadre.id]]
        rows.append((cadre.township, cadre.post, cadre.id, cadre.name, count[cadre.id], t("yes") if enough else t("no"),
                     f"{len(held)}/{len(required)}", "、".join(missing)))
        for key in ((cadre.township, ""), ("", cadre.post)):
            g = groups[key]
            g[0] += 1
            g[1] += int(enough)
            g[2] += len(held)
            g[3] += len(required)
    by_township = [(k[0], g[0], g[1], _pct(g[1], g[0]), _pct(g[2], g[3])) for k, g in groups.items() if k[0]]
    by_post = [(k[1], g[0], g[1], _pct(g[1], g[0]), _pct(g[2], g[3])) for k, g in groups.items() if k[1]]
    short = [r for r in rows if r[5] == t("no") or r[7]]
    total = len(rows)
    meeting = sum(1 for r in rows if r[5] == t("yes"))
    return Table(
        "coverage", t("report_coverage"),
        _columns(t, "rc_township", "rc_post", "rc_id", "rc_name", "rc_valid", ("rc_meets", cur.min_certificates),
                 "rc_required_held", "rc_missing"),
        rows,
        [t("rn_coverage_meeting", meeting=meeting, total=total, n=cur.min_certificates, pct=_pct(meeting, total)),
         t("rn_coverage_short", n=len(short))],
        {"by_township": by_township, "by_post": by_post, "short": short,
         "group_columns": _columns(t, "rc_group", "rc_cadres", "rc_meeting", "rc_meeting_pct", "rc_required_pct")},
    )


def expiring(project: Project, certs: list[Certificate], as_of: dt.datetime, t: Translator, days: int = 90) -> Table:
    """Valid certificates that expire within `days` of `as_of`, soonest first."""
    until = as_of + dt.timedelta(days=days)
    cadres = {c.id: c for c in project.cadres}
    rows = []
    for cert in certs:
        expires = parse_time(cert.entry["expires_at"])
        if cert.status(as_of) == "valid" and expires <= until:
            cadre = cadres.get(cert.cadre_id)
            rows.append((cert.entry["expires_at"][:10], (expires - as_of).days, cert.cert_id, cadre.township if cadre else "",
                         cert.entry["cadre_name"], cert.entry["skill_title"], cert.level))
    rows.sort()
    return Table("expiring", t("report_expiring", days=days),
                 _columns(t, "rc_expires", "rc_days_left", "rc_cert", "rc_township", "rc_name", "rc_skill", "rc_level"), rows,
                 [t("rn_expiring", n=len(rows), days=days, date=as_of.date().isoformat())])


def _attempt_rows(db: Database | None) -> list[tuple[Any, ...]]:
    if db is None:
        return []
    return db.query(
        "SELECT id, cadre_id, skill_id, level, score, passed, result, source FROM attempts "
        "WHERE submitted_at IS NOT NULL ORDER BY id"
    )


def training(project: Project, db: Database | None, t: Translator) -> Table:
    """Attempts, pass rates and mean scores by skill and level, and by township."""
    cadres = {c.id: c for c in project.cadres}
    levels = {lv.id: lv.name for lv in project.curriculum.levels}
    by_skill: dict[tuple[str, int], list[Fraction]] = defaultdict(list)
    passes: dict[tuple[str, int], int] = defaultdict(int)
    by_town: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    rows_raw = _attempt_rows(db)
    for _aid, cadre_id, skill_id, level, score, passed, _result, _source in rows_raw:
        key = (skill_id, int(level))
        by_skill[key].append(Fraction(score))
        passes[key] += int(passed)
        town = cadres[cadre_id].township if cadre_id in cadres else t("unknown_township")
        by_town[town][0] += 1
        by_town[town][1] += int(passed)
    rows = []
    for (skill_id, level), scores in sorted(by_skill.items()):
        title = project.skills[skill_id].title if skill_id in project.skills else skill_id
        mean = sum(scores, Fraction(0)) / len(scores)
        rows.append((title, levels.get(level, str(level)), len(scores), passes[(skill_id, level)],
                     _pct(passes[(skill_id, level)], len(scores)), display_score(mean)))
    towns = [(t, n, p, _pct(p, n)) for t, (n, p) in sorted(by_town.items(), key=lambda kv: kv[0])]
    total = len(rows_raw)
    passed_total = sum(int(r[5]) for r in rows_raw)
    return Table("training", t("report_training"),
                 _columns(t, "rc_skill", "rc_level", "rc_attempts", "rc_passed", "rc_pass_pct", "rc_mean"), rows,
                 [t("rn_training", total=total, passed=passed_total, pct=_pct(passed_total, total))],
                 {"by_township": towns, "town_columns": _columns(t, "rc_township", "rc_attempts", "rc_passed", "rc_pass_pct")})


def items(project: Project, db: Database | None, t: Translator) -> Table:
    """Moodle's item statistics per bank and level, naming the questions to review."""
    groups: dict[tuple[str, int], list[Response]] = defaultdict(list)
    # Each attempt draws its own questions, so, as Moodle does for random questions, the test as a
    # whole (alpha, error ratio, standard error) is measured over slots: the i-th question shown.
    slots: dict[tuple[str, int], list[Response]] = defaultdict(list)
    for aid, _cadre, skill_id, level, _score, _passed, result, _source in _attempt_rows(db):
        data = json.loads(result) if result else None
        if not data:
            continue
        for i, q in enumerate(data["questions"]):
            earned, points = Fraction(q["earned"]), Fraction(q["points"])
            groups[(skill_id, int(level))].append(Response(aid, q["id"], earned, points))
            slots[(skill_id, int(level))].append(Response(aid, f"slot-{i + 1:03d}", earned, points))
    levels = {lv.id: lv.name for lv in project.curriculum.levels}
    rows = []
    banks = []
    for (skill_id, level), responses in sorted(groups.items()):
        title = project.skills[skill_id].title if skill_id in project.skills else skill_id
        whole = test_stats(slots[(skill_id, level)])
        banks.append((title, levels.get(level, str(level)), whole.attempts, _f(whole.mean), _f(whole.sd), _f(whole.alpha),
                      _f(whole.error_ratio), _f(whole.standard_error)))
        prompts = {q.id: q.prompt for q in project.banks[skill_id].questions} if skill_id in project.banks else {}
        for s in item_stats(responses):
            rows.append((title, levels.get(level, str(level)), s.question_id, s.attempts, _f(s.facility), _f(s.sd),
                         _f(s.discrimination), _f(s.efficiency), ";".join(s.review), prompts.get(s.question_id, "")))
    review = [r for r in rows if r[8]]
    return Table(
        "items", t("report_items"),
        _columns(t, "rc_skill", "rc_level", "rc_question", "rc_answered", "rc_facility", "rc_sd", "rc_discrimination",
                 "rc_efficiency", "rc_review", "rc_prompt"),
        rows,
        [t("rn_items", banks=len(banks), questions=len(rows), review=len(review))],
        {"banks": banks, "review": review,
         "bank_columns": _columns(t, "rc_skill", "rc_level", "rc_attempts", "rc_mean_pct", "rc_sd", "rc_alpha",
                                  "rc_error_ratio", "rc_standard_error")},
    )


def report(
    name: str, project: Project, certs: list[Certificate], db: Database | None, as_of: dt.datetime, t: Translator,
    days: int = 90,
) -> Table:
    """Return one report by name: coverage, expiring, training or items."""
    if name == "coverage":
        return coverage(project, certs, as_of, t)
    if name == "expiring":
        return expiring(project, certs, as_of, t, days)
    if name == "training":
        return training(project, db, t)
    if name == "items":
        return items(project, db, t)
    raise ValueError(f"unknown report {name!r}; one of {', '.join(REPORTS)}")


def _columns(t: Translator, *keys: str | tuple[str, int]) -> tuple[str, ...]:
    return tuple(t(k) if isinstance(k, str) else t(k[0], n=k[1]) for k in keys)


def _f(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"
