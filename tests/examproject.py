"""A small project for exam tests: the all-types bank, three cadres, and a helper to answer right."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.exams.attempts import shown_answer
from generator.project import load_project
from generator.quiz.draw import Shown

from .quizproject import BANK

CADRES = """
- {id: c1, name: 林雪梅, township: 云溪乡, village: 下坑村, post: 农村指导员, duties: 驻村, phone: "100-0000-0001"}
- {id: c2, name: 王建国, township: 云溪乡, post: 办公室干事, duties: 窗口, phone: "100-0000-0002"}
- {id: c3, name: 张小兰, township: 石门镇, post: 平安助理, duties: 巡查, phone: "100-0000-0003"}
"""

FILES: dict[str, str | bytes | None] = {"quizzes/alpha.yaml": BANK, "content/cadres.yaml": CADRES}


def right_answers(root: Path, skill: str, questions: list[dict[str, Any]], orders: dict[str, list[int]]) -> dict[str, Any]:
    """Return the right responses, in shown letters, for questions whose shown order is known."""
    bank = load_project(root).banks[skill]
    return {q["id"]: shown_answer(bank.question(q["id"]), Shown(q["id"], tuple(orders[q["id"]]))) for q in questions}
