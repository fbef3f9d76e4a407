"""Question banks: every bank error located, the draw, and exam-only questions never published."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from generator.errors import ProjectError
from generator.project import load_project
from generator.quiz.bank import Question
from generator.quiz.draw import draw, shuffle, to_bank_response
from generator.quiz.grading import grade
from generator.render.site import build_site, check_project

from .conftest import REPO, MakeProject
from .quizproject import BANK, EXAM_ONLY_TEXTS


def bank_errors(make_project: MakeProject, text: str) -> list[str]:
    with pytest.raises(ProjectError) as info:
        check_project(make_project({"quizzes/alpha.yaml": text}))
    return [str(d) for d in info.value.errors]


HEAD = "skill: alpha\nquestions:\n"

BAD_BANKS = [
    ("unknown skill", "skill: beta\nquestions: []\n", [
        "content/../quizzes/alpha.yaml:1:8: error: the bank is for skill 'beta' but its file is named alpha.yaml; name it beta.yaml",
        "content/../quizzes/alpha.yaml:1:8: error: unknown skill 'beta'",
    ]),
    ("duplicate id", HEAD + "  - {id: q, level: 1, type: truefalse, prompt: 甲, answer: true}\n"
                            "  - {id: q, level: 1, type: truefalse, prompt: 乙, answer: false}\n",
     ["quizzes/alpha.yaml:4:10: error: duplicate question id 'q' (first used at line 3)"]),
    ("unknown type", HEAD + "  - {id: q, level: 1, type: essay, prompt: 甲}\n",
     ["quizzes/alpha.yaml:3:29: error: unknown question type 'essay'; use one of: single, multiple, truefalse, fill, numeric, order, match"]),
    ("unknown key", HEAD + "  - {id: q, level: 1, type: truefalse, prompt: 甲, answer: true, option: [a]}\n",
     ["quizzes/alpha.yaml:3:65: error: unknown key 'option' in a question; allowed keys: answer, exam, explanation, id, level, points, practice, prompt, tags, type"]),
    ("key of another type", HEAD + "  - {id: q, level: 1, type: truefalse, prompt: 甲, answer: true, tolerance: 1}\n",
     ["quizzes/alpha.yaml:3:65: error: unknown key 'tolerance' in a question; allowed keys: answer, exam, explanation, id, level, points, practice, prompt, tags, type"]),
    ("letter outside the options", HEAD + "  - {id: q, level: 1, type: single, prompt: 甲, options: [a, b, c], answer: E}\n",
     ["quizzes/alpha.yaml:3:76: error: answer letter E is outside the 3 options (A–C)"]),
    ("blanks and answers disagree", HEAD + "  - {id: q, level: 1, type: fill, prompt: '____ 和 ____', answer: [甲]}\n",
     ["quizzes/alpha.yaml:3:66: error: the prompt has 2 blank(s) but the answer lists 1"]),
    ("non-numeric numeric answer", HEAD + "  - {id: q, level: 1, type: numeric, prompt: 几度, answer: 二十}\n",
     ["quizzes/alpha.yaml:3:58: error: a numeric answer must be a number, not '二十'"]),
    ("level the skill does not offer", "skill: alpha\nquestions:\n  - {id: q, level: 4, type: truefalse, prompt: 甲, answer: true}\n",
     ["quizzes/alpha.yaml:3:20: error: level 4 is not offered by skill 'alpha' (levels: 1, 2, 3)"]),
    ("blueprint that cannot be filled", "skill: alpha\nexam:\n  1: {draw: [{level: 1, count: 5}]}\nquestions:\n"
     "  - {id: q, level: 1, type: truefalse, prompt: 甲, answer: true}\n",
     ["quizzes/alpha.yaml:3:14: error: the level-1 exam cannot be filled: section 1 needs 5 questions (level 1) but the bank has 1 exam questions that match"]),
    ("sections together too many", "skill: alpha\nexam:\n  1: {draw: [{level: 1, count: 1}, {level: 1, count: 1, type: truefalse}]}\nquestions:\n"
     "  - {id: q, level: 1, type: truefalse, prompt: 甲, answer: true}\n",
     ["quizzes/alpha.yaml:3:36: error: the level-1 exam cannot be filled: sections 1–2 need 2 different questions but only 1 match them"]),
    ("practice not boolean", HEAD + "  - {id: q, level: 1, type: truefalse, prompt: 甲, answer: true, practice: yes please}\n",
     ["quizzes/alpha.yaml:3:75: error: 'practice' must be true or false, not text"]),
]


@pytest.mark.parametrize(("name", "text", "expected"), BAD_BANKS, ids=[b[0] for b in BAD_BANKS])
def test_bad_bank(make_project: MakeProject, name: str, text: str, expected: list[str]) -> None:
    assert bank_errors(make_project, text) == [e.replace("content/../", "") for e in expected]


def test_skill_level_without_questions_is_a_warning(make_project: MakeProject) -> None:
    root = make_project({"quizzes/alpha.yaml": HEAD + "  - {id: q, level: 1, type: truefalse, prompt: 甲, answer: true}\n"})
    _, _, diags = check_project(root)
    assert [str(w) for w in diags.warnings if "bank" in str(w)] == [
        "quizzes/alpha.yaml: warning: skill 'alpha' offers level 2, 3 but its bank has no questions for it"
    ]


def test_fixture_bank_loads_all_seven_types(make_project: MakeProject) -> None:
    bank = load_project(make_project({"quizzes/alpha.yaml": BANK})).banks["alpha"]
    assert Counter(q.type for q in bank.questions) == Counter(
        {"single": 2, "multiple": 1, "truefalse": 1, "fill": 2, "numeric": 1, "order": 1, "match": 2}
    )
    assert len(bank.practice) == 7
    assert bank.blueprint(1).minutes == 20 and bank.blueprint(1).attempts == 2


def test_draw_is_seeded_fills_sections_and_never_repeats(make_project: MakeProject) -> None:
    bank = load_project(make_project({"quizzes/alpha.yaml": BANK})).banks["alpha"]
    one, two = draw(bank, 1, seed=7), draw(bank, 1, seed=7)
    assert one == two
    assert len(one) == 3 and len({s.id for s in one}) == 3
    assert {tuple(s.id for s in draw(bank, 1, seed=s)) for s in range(30)} != {tuple(s.id for s in one)}


def test_default_blueprint_draws_every_exam_question_up_to_20(make_project: MakeProject) -> None:
    questions = "".join(f"  - {{id: q{i}, level: 2, type: truefalse, prompt: 题{i}, answer: true}}\n" for i in range(25))
    bank = load_project(make_project({"quizzes/alpha.yaml": HEAD + questions})).banks["alpha"]
    blueprint = bank.blueprint(2)
    assert (blueprint.minutes, blueprint.attempts, blueprint.sections[0].count) == (30, 3, 20)
    assert len(draw(bank, 2, seed="x")) == 20


def test_order_and_match_are_never_shown_in_the_right_order() -> None:
    order = Question("o", 1, "order", "p", raw={"type": "order", "items": list("abc")}, items=tuple("abc"))
    match = Question("m", 1, "match", "p", raw={"type": "match", "pairs": [[1, 2], [3, 4]]}, pairs=(("1", "2"), ("3", "4")))
    tf = Question("t", 1, "truefalse", "p", raw={"type": "truefalse", "answer": True})
    for seed in range(200):
        rng = random.Random(seed)
        assert shuffle(order, rng).order != (0, 1, 2)
        assert shuffle(match, rng).order != (0, 1)
        assert shuffle(tf, rng).order == ()


def test_responses_in_shown_letters_map_back_to_bank_order() -> None:
    q = Question("s", 1, "multiple", "p", raw={"type": "multiple", "answer": "AC", "options": list("wxyz")}, options=tuple("wxyz"))
    shown = shuffle(q, random.Random(3))
    seen = "".join(chr(65 + shown.order.index(i)) for i in (0, 2))
    assert grade(q.raw, to_bank_response(q, shown, seen)) == 1
    assert grade(q.raw, seen) != 1 or shown.order[:3] == (0, 1, 2)


def published_text(site: Path) -> str:
    return "\n".join(p.read_text("utf-8", errors="replace") for p in sorted(site.rglob("*")) if p.is_file())


def test_exam_only_questions_never_reach_the_site(make_project: MakeProject) -> None:
    root = make_project({"quizzes/alpha.yaml": BANK})
    build_site(root)
    text = published_text(root / "site")
    assert [t for t in EXAM_ONLY_TEXTS if t in text] == []
    assert "PRACTICE-SINGLE" in text and "PRACTICE-EXPLAIN" in text


def test_reference_exam_only_prompts_never_reach_the_site(reference_site: Path) -> None:
    project = load_project(REPO)
    text = published_text(reference_site)
    leaked = []
    for bank in project.banks.values():
        for q in bank.questions:
            if q.practice:
                continue
            # Options, answers and explanations quote the study text itself (that is what is
            # tested), so here the question itself is checked; the fixture above checks the rest.
            for piece in (q.prompt,):
                if len(piece) >= 8 and piece in text:
                    leaked.append(f"{bank.skill}/{q.id}: {piece}")
    assert leaked == []
