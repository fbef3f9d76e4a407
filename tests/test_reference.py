"""The reference project's floor: the numbers the issues promise cannot slip."""

from __future__ import annotations

import re
from collections import Counter

from generator.content.models import Skill
from generator.project import load_project
from generator.render.site import check_project

from .conftest import REPO

PROJECT = load_project(REPO)


def cjk(text: str) -> int:
    return len(re.findall(r"[\u4e00-\u9fff]", text))


def test_reference_checks_clean_with_no_warning() -> None:
    _, _, diags = check_project(REPO)
    assert [str(w) for w in diags.warnings] == []


def text_of(skill: Skill) -> str:
    return skill.body + "".join(lesson.body for lesson in skill.lessons)


def test_57_skills_across_all_three_categories() -> None:
    assert len(PROJECT.skills) >= 57
    counts = Counter(s.category for s in PROJECT.skills.values())
    assert counts.keys() == {"economy", "stability", "mass-work"} and min(counts.values()) >= 15


def test_every_skill_is_real_training_material() -> None:
    short = {s.id: cjk(text_of(s)) for s in PROJECT.skills.values() if cjk(text_of(s)) < 800}
    assert short == {}


def test_at_least_20_full_modules() -> None:
    full = []
    for skill in PROJECT.skills.values():
        text = text_of(skill)
        has_table = re.search(r"^\|.*\|\s*$", text, re.M) is not None or "- [ ]" in text
        if len(skill.lessons) >= 2 and cjk(text) >= 2500 and has_table:
            full.append(skill.id)
    assert len(full) >= 20, full
    with_figures = [s for s in PROJECT.skills.values() if s.bundle and list(s.bundle.glob("images/*.svg"))]
    assert len(with_figures) >= 15


def test_roster_services_and_guides() -> None:
    assert len(PROJECT.cadres) >= 150
    assert len({c.township for c in PROJECT.cadres}) >= 6
    assert all(re.fullmatch(r"100-0000-\d{4}", c.phone) for c in PROJECT.cadres), "phones must stay in the fictional range"
    assert len(PROJECT.services) >= 30
    assert all(s.procedure and s.where and s.time_limit_days is not None for s in PROJECT.services)
    assert len(PROJECT.guides) >= 3
    cur = PROJECT.curriculum
    assert cur.required_all and cur.required_townships.keys() == {c.township for c in PROJECT.cadres}
    posts = {"农村指导员", "企业助理", "平安助理", "科技助理", "金融助理", "办公室干事", "乡镇领导"}
    assert posts <= set(cur.required_posts) and all(cur.required_posts[p] for p in posts)
    assert cur.electives_min >= 2


def test_every_level_of_every_skill_has_practice_and_exam_questions() -> None:
    for skill in PROJECT.skills.values():
        bank = PROJECT.banks[skill.id]
        for level in skill.levels:
            at_level = [q for q in bank.questions if q.level == level]
            assert len(at_level) >= 12, (skill.id, level)
            assert any(q.practice for q in at_level), (skill.id, level)
            assert any(not q.practice for q in at_level), (skill.id, level)
            assert all(q.explanation for q in at_level), (skill.id, level)
            assert level in bank.blueprints, (skill.id, level)
    types = {q.type for b in PROJECT.banks.values() for q in b.questions}
    assert len(types) >= 5
    questions = [q for b in PROJECT.banks.values() for q in b.questions]
    share = sum(q.practice for q in questions) / len(questions)
    assert 0.25 <= share <= 0.45, share
