"""Random responses of every shape: the grader returns a fraction between 0 and the points, never raises."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from generator import grade
from generator.quiz.grading import points_of

QUESTIONS = [c["question"] for c in json.loads((Path(__file__).parent / "grading" / "cases.json").read_text("utf-8"))["cases"]]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=50), st.text(alphabet="ABCDabcd 12,、对错√×|．３", max_size=20), st.sampled_from(["1e999999999", "-0", "NaN"]),
)
responses = st.recursive(scalars, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=12)


@settings(max_examples=400, deadline=None)
@given(question=st.sampled_from(QUESTIONS), response=responses)
def test_any_response_grades_between_zero_and_points(question: dict[str, Any], response: Any) -> None:
    earned = grade(question, response)
    assert isinstance(earned, Fraction)
    assert 0 <= earned <= points_of(question)


@settings(max_examples=200, deadline=None)
@given(question=st.dictionaries(st.sampled_from(["type", "answer", "options", "items", "pairs", "points", "tolerance", "scoring"]), scalars | st.lists(scalars, max_size=4), max_size=6), response=responses)
def test_malformed_questions_never_raise(question: dict[str, Any], response: Any) -> None:
    assert grade(question, response) >= 0


def test_huge_response_is_cheap() -> None:
    assert grade({"type": "fill", "answer": ["甲"]}, "甲" * 1_000_000) == 0
    assert grade({"type": "numeric", "answer": 1}, "1" + "0" * 100_000) == 0
