"""The Python grader against the shared cases (tests/grading/cases.json), which the browser grader runs too."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from generator import grade
from generator.quiz.grading import display_score, passed, score_of

CASES = json.loads((Path(__file__).parent / "grading" / "cases.json").read_text("utf-8"))


def test_there_are_enough_cases_for_every_type() -> None:
    types = {c["question"].get("type") for c in CASES["cases"]}
    assert len(CASES["cases"]) >= 100
    assert {"single", "multiple", "truefalse", "fill", "numeric", "order", "match"} <= types


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["name"] for c in CASES["cases"]])
def test_grade(case: dict[str, Any]) -> None:
    earned = grade(case["question"], case["response"])
    assert isinstance(earned, Fraction)
    assert earned == Fraction(case["earned"])


@pytest.mark.parametrize("case", CASES["scores"], ids=[c["name"] for c in CASES["scores"]])
def test_score(case: dict[str, Any]) -> None:
    score = score_of(Fraction(case["earned"]), Fraction(case["possible"]))
    assert display_score(score) == case["display"]
    assert passed(score, case["pass_mark"]) is case["passed"]


def test_tolerance_boundary_is_exact() -> None:
    q = {"type": "numeric", "answer": 3.5, "tolerance": 0.1}
    assert grade(q, "3.4") == grade(q, "3.6") == grade(q, 3.6) == 1
