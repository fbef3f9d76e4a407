"""The demonstration ledger (SPEC §8): the roster's cadres run through the real exam path with
simulated answers, so every page built with --demo shows a realistic, clearly labelled registry.

It is deterministic (seeded attempt codes, a fixed demo key, a fixed clock), lives in
data/demo-ledger.sqlite3 with its key in data/demo/, and never touches the real ledger.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ..content.models import Cadre, Project
from ..ledger.log import Ledger
from ..quiz.bank import Question
from ..quiz.draw import Shown
from ..store.db import Database, ledger_url
from .attempts import LETTERS, Attempt, Exams, shown_answer
from .context import key_dir
from .views import question_views

START = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
EXPIRED_AT = dt.datetime(2022, 5, 10, 2, 0, tzinfo=dt.UTC)
REVOKE_REASON = "演示:持证人已调离岗位,证书收回。"


def _demo_key(folder: Path) -> None:
    """Write the demonstration signing key: fixed, since it signs nothing real."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ledger-key.pem"
    if path.exists():
        return
    key = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    path.write_bytes(pem)
    path.chmod(0o600)


def simulated(q: Question, shown: Shown, right: bool, rng: random.Random) -> Any:
    """Return a response in shown letters: the right one, or a plausible wrong one."""
    answer = shown_answer(q, shown)
    if right:
        return answer
    if q.type == "single":
        return next((x for x in LETTERS[: len(q.options)] if x != answer), "")
    if q.type == "multiple":
        wrong = [x for x in LETTERS[: len(q.options)] if x not in answer]
        if len(answer) > 1 and (rng.random() < 0.5 or not wrong):
            return answer[:1]
        return wrong[0] if wrong else ""
    if q.type == "truefalse":
        return not answer
    if q.type == "fill":
        return ["不清楚"] * len(answer)
    if q.type == "numeric":
        return str(float(answer) + float(q.raw.get("tolerance") or 0) + 7)
    if q.type == "order":
        return answer[::-1]
    if q.type == "match":
        tokens = answer.split()
        return " ".join(tokens[1:2] + tokens[:1] + tokens[2:]) if len(tokens) > 1 else ""
    return None


def _take(exams: Exams, cadre: Cadre, skill_id: str, level: int, ability: float, now: dt.datetime, rng: random.Random) -> bool:
    """One attempt through the real exam path; return whether it passed."""
    attempt: Attempt = exams.start(cadre.id, skill_id, level, now)
    bank = exams.bank(skill_id)
    responses = {s.id: simulated(bank.question(s.id), s, rng.random() < ability, rng) for s in attempt.shown}
    result = exams.finish(attempt, responses, now + dt.timedelta(minutes=rng.randint(12, 28)))
    return bool(result and result["passed"])


def _wanted(project: Project, cadre: Cadre) -> list[str]:
    """The skills a simulated cadre sits, at most five: the township's leading industry and the
    post's skills first (they are what the guide shows), then public knowledge and electives."""
    cur = project.curriculum
    wanted = dict.fromkeys([
        *cur.required_townships.get(cadre.township, ()), *cur.required_posts.get(cadre.post, ()),
        *cur.required_all, *cadre.electives,
    ])
    return [s for s in wanted if s in project.banks][:5]


def build_demo_ledger(project: Project) -> Path:
    """Fill a new demonstration ledger from the roster; return its path."""
    path = Path(ledger_url(project.root, demo=True))
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    folder = key_dir(project.root, demo=True)
    _demo_key(folder)
    rng = random.Random("cadre-demo")
    counter = iter(range(1, 10**9))
    db = Database(str(path))
    ledger = Ledger(db, folder, project.site.ledger_prefix)
    exams = Exams(project, db, ledger, question_views(project), new_id=lambda: f"DEMO-{next(counter):06d}")
    cadres = list(project.cadres)
    if cadres and project.banks:
        # One certificate from years ago, so the demo shows an expired one.
        # (a skill this cadre does not take again below, or it would be renewed).
        first = cadres[0]
        later = set(_wanted(project, first))
        skill = next((s for s in project.banks if s not in later), next(iter(project.banks)))
        _take(exams, first, skill, 1, 1.0, EXPIRED_AT, rng)
    for n, cadre in enumerate(cadres):
        ability = rng.uniform(0.5, 0.98)
        now = START + dt.timedelta(days=n % 120, hours=rng.randint(0, 8))
        for skill_id in _wanted(project, cadre):
            levels = project.skills[skill_id].levels
            for level in levels:
                passed = False
                for _ in range(project.banks[skill_id].blueprint(level).attempts):
                    now += dt.timedelta(days=rng.randint(1, 9))
                    if _take(exams, cadre, skill_id, level, ability, now, rng):
                        passed = True
                        break
                # Only strong cadres go on to the next level.
                if not passed or rng.random() > ability - 0.25:
                    break
    valid = [c for c in ledger.certificates() if c.revocation is None and c.entry["issued_at"] > "2026"]
    if valid:
        ledger.revoke(valid[len(valid) // 2].cert_id, REVOKE_REASON, START + dt.timedelta(days=200))
    db.close()
    return path


def ensure_demo_ledger(project: Project) -> Path:
    """Return the demonstration ledger, making it first if it does not exist yet."""
    path = Path(ledger_url(project.root, demo=True))
    if path.is_file():
        return path
    return build_demo_ledger(project)
