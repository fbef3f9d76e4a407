"""A practice quiz completed in headless Chromium: the score shown equals the Python grader's."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from generator import grade
from generator.quiz.grading import display_score, score_of
from generator.render.site import build_site

from .conftest import MakeProject
from .quizproject import BANK
from .test_browser import SHOTS, browser, open_phone  # noqa: F401  (the browser fixture)

LETTERS = "ABCDEFGH"


def choose(q: dict[str, Any], right: bool) -> Any:
    """Return a response in bank terms: the right one, or a wrong or partly right one."""
    raw = q["q"]
    kind = q["type"]
    if kind == "single":
        return raw["answer"] if right else next(x for x in LETTERS[: len(q["options"])] if x != raw["answer"])
    if kind == "multiple":
        return raw["answer"] if right else raw["answer"][0]
    if kind == "truefalse":
        return str(raw["answer"]).lower() if right else str(not raw["answer"]).lower()
    if kind == "fill":
        return [b[0] if isinstance(b, list) else b for b in raw["answer"]] if right else [raw["answer"][0][0] if isinstance(raw["answer"][0], list) else raw["answer"][0]] + ["不对"] * (len(raw["answer"]) - 1)
    if kind == "numeric":
        return str(raw["answer"]) if right else str(raw["answer"] + (raw.get("tolerance") or 0) + 1)
    if kind == "order":
        n = len(raw["items"])
        return LETTERS[:n] if right else LETTERS[:n][::-1]
    if kind == "match":
        n = len(raw["pairs"])
        letters = list(LETTERS[:n])
        if not right:
            letters[0], letters[1] = letters[1], letters[0]
        return " ".join(f"{i + 1}{x}" for i, x in enumerate(letters))
    raise AssertionError(kind)


def answer(page: Any, q: dict[str, Any], response: Any) -> None:
    """Give `response` through the question's widgets, as a cadre would by touch."""
    kind = q["type"]
    form = page.locator(f".question[data-id='{q['id']}']")
    if kind in ("single", "truefalse"):
        form.locator(f"input[value='{response}']").check()
    elif kind == "multiple":
        for letter in response:
            form.locator(f"input[value='{letter}']").check()
    elif kind == "fill":
        for i, text in enumerate(response):
            form.locator(f"input.blank[data-blank='{i}']").fill(text)
    elif kind == "numeric":
        form.locator("input.number").fill(response)
    elif kind == "order":
        target = [LETTERS.index(x) for x in response]
        for pos, index in enumerate(target):
            while True:
                current = [int(v) for v in form.locator(".order li").evaluate_all("els => els.map(e => e.dataset.index)")]
                if current.index(index) == pos:
                    break
                form.locator(f".order li[data-index='{index}'] button.up").click()
    elif kind == "match":
        for token in response.split():
            form.locator(f"select[data-left='{token[:-1]}']").select_option(token[-1])


def test_practice_quiz_score_equals_python_grader(browser: Any, make_project: MakeProject) -> None:  # noqa: F811
    root = make_project({"quizzes/alpha.yaml": BANK})
    build_site(root)
    page, requests = open_phone(browser, (root / "site/skills/alpha/practice/index.html").as_uri())
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    data = json.loads(page.locator("#practice-data").text_content())
    questions = data["questions"]
    assert {q["type"] for q in questions} == {"single", "multiple", "truefalse", "fill", "numeric", "order", "match"}
    earned = possible = Fraction(0)
    SHOTS.mkdir(exist_ok=True)
    for i, q in enumerate(questions):
        response = choose(q, right=i % 2 == 0)
        answer(page, q, response)
        page.click("form.question button[type=submit]")
        verdict = page.locator(".feedback .verdict").inner_text()
        got = grade(q["q"], response)
        points = Fraction(q["points"])
        assert verdict.endswith("回答正确") if got == points else ("回答错误" in verdict if got == 0 else "部分正确" in verdict)
        if i == 5:
            page.screenshot(path=str(SHOTS / "practice-feedback.png"), full_page=True)
        earned += got
        possible += points
        page.click("form.question button[type=submit]")
    shown = page.locator(".result .score").inner_text()
    page.screenshot(path=str(SHOTS / "practice-result.png"), full_page=True)
    assert 0 < earned < possible
    assert shown == f"{display_score(score_of(earned, possible))} 分"
    assert errors == []
    assert all(r.startswith("file://") for r in requests)

    # Retry only the ones answered wrong: answer them right this time.
    page.click("text=重做答错的")
    retried = page.locator(".question .progress").inner_text()
    assert retried.endswith(f"共 {sum(1 for i in range(len(questions)) if i % 2)} 题")

    # Progress is remembered and shown on the skill page and the home page.
    page.goto((root / "site/skills/alpha/index.html").as_uri())
    assert page.locator(".practice-cta .badge").inner_text() == f"已练习 · 最好 {display_score(score_of(earned, possible))} 分"
    page.goto((root / "site/index.html").as_uri())
    assert page.locator("#required-progress output").inner_text() == "已练习 1 / 1 项必修技能"
    page.context.close()


def test_reference_practice_pages_run_without_errors(browser: Any, reference_site: Path) -> None:  # noqa: F811
    pages = sorted(reference_site.glob("skills/*/practice/index.html"))
    assert pages
    for path in pages[:3]:
        page, _ = open_phone(browser, path.as_uri())
        errors: list[str] = []
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        page.reload()
        assert page.locator("form.question").count() == 1
        assert errors == [], path
        page.context.close()


@pytest.fixture(autouse=True)
def _no_stale_shots() -> None:
    SHOTS.mkdir(exist_ok=True)
