"""The reference project's floor: the numbers the issues promise cannot slip."""

from __future__ import annotations

import re
from collections import Counter

from generator.project import load_project
from generator.render.site import check_project

from .conftest import REPO

PROJECT = load_project(REPO)


def cjk(text: str) -> int:
    return len(re.findall(r"[\u4e00-\u9fff]", text))


def test_reference_checks_clean_with_no_warning() -> None:
    _, _, diags = check_project(REPO)
    assert [str(w) for w in diags.warnings] == []


def test_skills_across_all_three_categories() -> None:
    assert len(PROJECT.skills) >= 8
    assert Counter(s.category for s in PROJECT.skills.values()).keys() == {"economy", "stability", "mass-work"}
    bundles = [s for s in PROJECT.skills.values() if s.lessons]
    assert bundles and any(list(s.bundle.glob("images/*.svg")) for s in bundles if s.bundle)


def test_every_skill_is_real_training_material() -> None:
    for skill in PROJECT.skills.values():
        text = skill.body + "".join(lesson.body for lesson in skill.lessons)
        assert cjk(text) >= 800, skill.id


def test_roster_services_and_guides() -> None:
    assert len(PROJECT.cadres) >= 40
    assert len(PROJECT.townships) >= 3
    assert all(re.fullmatch(r"100-0000-\d{4}", c.phone) for c in PROJECT.cadres), "phones must stay in the fictional range"
    assert len(PROJECT.services) >= 10
    assert len(PROJECT.guides) >= 3
    cur = PROJECT.curriculum
    assert cur.required_all and cur.required_posts and cur.required_townships


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
