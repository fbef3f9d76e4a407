"""Seeded, pure draws: which questions an attempt shows, in which order, and mapping back."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from .bank import Bank, Question
from .grading import MATCH_TOKEN, letters, normalise


@dataclass(frozen=True)
class Shown:
    """A question as shown: `order[i]` is the bank index of the option, item or right side at position i."""

    id: str
    order: tuple[int, ...] = ()


def shuffle(question: Question, rng: random.Random) -> Shown:
    """Return a display order: options shuffled; items and right sides never in the correct order."""
    n = {"single": len(question.options), "multiple": len(question.options),
         "order": len(question.items), "match": len(question.pairs)}.get(question.type, 0)
    if n == 0:
        return Shown(question.id)
    order = list(range(n))
    rng.shuffle(order)
    if question.type in ("order", "match") and n > 1:
        while order == sorted(order):
            rng.shuffle(order)
    return Shown(question.id, tuple(order))


def draw(bank: Bank, level: int, seed: int | str) -> list[Shown]:
    """Return the questions of one attempt at `level`, filled section by section without repeats."""
    rng = random.Random(f"{bank.skill}:{level}:{seed}")
    sections = bank.blueprint(level).sections
    used: set[str] = set()
    chosen: list[Question] = []
    for i, section in enumerate(sections):
        later = sections[i + 1 :]
        pool = [q for q in bank.questions if q.id not in used and section.matches(q)]
        if len(pool) < section.count:
            raise ValueError(f"bank {bank.skill}: level-{level} section {i + 1} cannot be filled")
        # Prefer questions later sections cannot use, so an early section never starves a later one.
        keyed = sorted(pool, key=lambda q: (sum(s.matches(q) for s in later), rng.random()))
        picked = keyed[: section.count]
        rng.shuffle(picked)
        chosen += picked
        used.update(q.id for q in picked)
    return [shuffle(q, rng) for q in chosen]


def _letter(index: int) -> str:
    return chr(ord("A") + index)


def to_bank_response(question: Question, shown: Shown, response: Any) -> Any:
    """Return a response given in the letters the cadre saw, in the bank's letters (SPEC §5)."""
    if not shown.order or question.type not in ("single", "multiple", "order", "match"):
        return response
    order = shown.order

    def bank_letter(seen: str) -> str:
        i = ord(seen.lower()) - ord("a")
        return _letter(order[i]) if 0 <= i < len(order) else _letter(i)

    if question.type == "match":
        if isinstance(response, str):
            return " ".join(f"{n}{bank_letter(x)}" for n, x in MATCH_TOKEN.findall(normalise(response)))
        if isinstance(response, list):
            out = []
            for item in response:
                if not isinstance(item, str):
                    return response
                m = MATCH_TOKEN.fullmatch(normalise(item).replace(" ", ""))
                if m:
                    out.append(f"{m.group(1)}{bank_letter(m.group(2))}")
                else:
                    out.append(bank_letter(item.strip()) if len(item.strip()) == 1 else item)
            return out
        return response
    found = letters(response)
    if found is None:
        return response
    return "".join(bank_letter(x) for x in found)
