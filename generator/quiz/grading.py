"""The grader (SPEC §5, docs/grading.md): pure, exact, and never raises on a response."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

TRUE_WORDS = frozenset({"true", "t", "对", "√", "是", "正确"})
FALSE_WORDS = frozenset({"false", "f", "错", "×", "否", "错误"})
_SEPARATORS = re.compile(r"[\s,;、]+")
_LETTERS = re.compile(r"[a-z]*")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?", re.I)
MATCH_TOKEN = re.compile(r"(\d+)\s*([a-z])")
_MAX_EXPONENT = 100  # a response like 1e999999999 is not a number anyone means; refuse it cheaply
_MAX_TEXT = 10_000


def normalise(text: str) -> str:
    """Return `text` as compared: NFKC, trimmed, inner white space folded, case-folded."""
    text = unicodedata.normalize("NFKC", text[:_MAX_TEXT]).strip()
    return re.sub(r"\s+", " ", text).casefold()


def _text_parts(response: Any) -> list[str] | None:
    """Return a string response as one part, a list of scalars as parts; None for other shapes."""
    if isinstance(response, str):
        return [response]
    if isinstance(response, list):
        parts = []
        for item in response:
            if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                return None
            parts.append(str(item))
        return parts
    return None


def letters(response: Any) -> list[str] | None:
    """Return the response's letters in order (lower case), or None if it is not letters."""
    parts = _text_parts(response)
    if parts is None:
        return None
    text = _SEPARATORS.sub("", "".join(normalise(p) for p in parts))
    if not _LETTERS.fullmatch(text):
        return None
    return list(text)


def to_fraction(value: Any) -> Fraction | None:
    """Return a bank number (int, float or decimal text) as an exact fraction, via its decimal text."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, (float, str)):
        return parse_number(str(value), whole=True)
    return None


def parse_number(text: str, whole: bool = False) -> Fraction | None:
    """Return the decimal number at the start of `text` (the whole text if `whole`), exactly."""
    text = unicodedata.normalize("NFKC", text[:_MAX_TEXT]).strip()
    m = _NUMBER.match(text)
    if not m or (whole and m.end() != len(text)):
        return None
    try:
        number = Decimal(m.group(0))
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number.adjusted()) > _MAX_EXPONENT:
        return None
    return Fraction(number)


def points_of(question: Mapping[str, Any]) -> Fraction:
    """Return the question's points (default 1)."""
    value = to_fraction(question.get("points", 1))
    return value if value is not None and value > 0 else Fraction(1)


def _letter_index(letter: str) -> int:
    return ord(letter) - ord("a")


def _answer_letters(answer: Any) -> set[str]:
    found = letters(answer) if isinstance(answer, (str, list)) else None
    return set(found or [])


def _truth(response: Any) -> bool | None:
    if isinstance(response, bool):
        return response
    if isinstance(response, str):
        word = normalise(response)
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    return None


def _fill(question: Mapping[str, Any], response: Any) -> Fraction:
    blanks = question.get("answer")
    if not isinstance(blanks, list) or not blanks:
        return Fraction(0)
    if isinstance(response, str):
        parts: list[str] | None = response.split("|")
    else:
        parts = _text_parts(response)
    if parts is None:
        return Fraction(0)
    matched = 0
    for i, accepted in enumerate(blanks):
        if i >= len(parts):
            break
        options = accepted if isinstance(accepted, list) else [accepted]
        wanted = {normalise(str(a)) for a in options if not isinstance(a, (list, dict))}
        given = normalise(parts[i])
        if given and given in wanted:
            matched += 1
    return Fraction(matched, len(blanks))


def _numeric(question: Mapping[str, Any], response: Any) -> bool:
    if isinstance(response, bool):
        return False
    if isinstance(response, (int, float)):
        given = to_fraction(response)
    elif isinstance(response, str):
        given = parse_number(response)
    else:
        return False
    answer = to_fraction(question.get("answer"))
    tolerance = to_fraction(question.get("tolerance", 0)) or Fraction(0)
    if given is None or answer is None:
        return False
    return abs(given - answer) <= abs(tolerance)


def _match(question: Mapping[str, Any], response: Any) -> Fraction:
    pairs = question.get("pairs")
    if not isinstance(pairs, list) or not pairs:
        return Fraction(0)
    chosen: dict[int, str] = {}
    if isinstance(response, str):
        text = normalise(response)
        tokens = MATCH_TOKEN.findall(text)
        if _SEPARATORS.sub("", MATCH_TOKEN.sub("", text)):
            return Fraction(0)
        for left, letter in tokens:
            chosen.setdefault(int(left), letter)
    elif isinstance(response, list):
        for position, item in enumerate(response, 1):
            if not isinstance(item, str):
                return Fraction(0)
            token = _SEPARATORS.sub("", normalise(item))
            m = MATCH_TOKEN.fullmatch(token)
            if m:
                chosen.setdefault(int(m.group(1)), m.group(2))
            elif re.fullmatch(r"[a-z]", token):
                chosen.setdefault(position, token)
            elif token:
                return Fraction(0)
    else:
        return Fraction(0)
    right = sum(1 for n in range(1, len(pairs) + 1) if n in chosen and _letter_index(chosen[n]) == n - 1)
    return Fraction(right, len(pairs))


def grade(question: Mapping[str, Any], response: Any) -> Fraction:
    """Return the points `response` earns on `question`, exactly; 0 for any malformed response."""
    try:
        share = _share(question, response)
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, RecursionError):
        return Fraction(0)
    return points_of(question) * share if share > 0 else Fraction(0)


def _share(question: Mapping[str, Any], response: Any) -> Fraction:
    """Return the share of the question's points earned, from 0 to 1."""
    kind = question.get("type")
    if response is None:
        return Fraction(0)
    if kind == "single":
        chosen = letters(response)
        right = _answer_letters(question.get("answer"))
        return Fraction(1 if chosen is not None and len(chosen) == 1 and set(chosen) == right else 0)
    if kind == "multiple":
        chosen = letters(response)
        right = _answer_letters(question.get("answer"))
        if not chosen or not right:
            return Fraction(0)
        picked = set(chosen)
        if question.get("scoring", "partial") == "all-or-nothing":
            return Fraction(1 if picked == right else 0)
        if picked - right:
            return Fraction(0)
        return Fraction(len(picked & right), len(right))
    if kind == "truefalse":
        truth = _truth(response)
        answer = question.get("answer")
        return Fraction(1 if truth is not None and isinstance(answer, bool) and truth == answer else 0)
    if kind == "fill":
        return _fill(question, response)
    if kind == "numeric":
        return Fraction(1 if _numeric(question, response) else 0)
    if kind == "order":
        items = question.get("items")
        chosen = letters(response)
        if not isinstance(items, list) or not items or chosen is None:
            return Fraction(0)
        return Fraction(1 if chosen == [chr(ord("a") + i) for i in range(len(items))] else 0)
    if kind == "match":
        return _match(question, response)
    return Fraction(0)


def score_of(earned: Fraction, possible: Fraction) -> Fraction:
    """Return the attempt's score out of 100, exactly (0 when nothing was possible)."""
    return earned / possible * 100 if possible else Fraction(0)


def display_score(score: Fraction) -> str:
    """Return the score rounded half-up to one decimal, always with the decimal: '66.7', '75.0'."""
    tenths = (score * 10 + Fraction(1, 2)).__floor__()
    return f"{tenths // 10}.{tenths % 10}"


def passed(score: Fraction, pass_mark: int | Fraction) -> bool:
    return score >= pass_mark
