"""Question views for exams: each question's HTML, rendered once, looked up by (skill, question)."""

from __future__ import annotations

from typing import Any

from ..content.models import Project
from ..errors import Diagnostics
from ..i18n import Translator
from ..markdown import Links, MarkdownRenderer
from ..render.practice import question_view


def question_views(project: Project) -> dict[tuple[str, str], dict[str, Any]]:
    """Return the rendered view of every question of every bank (answers included: server side only)."""
    content = (project.root / "content").resolve()
    renderer = MarkdownRenderer(Links(content, {}), Diagnostics(project.root), collect_text=False)
    t = Translator(project.site.locale)
    views: dict[tuple[str, str], dict[str, Any]] = {}
    for skill_id, bank in project.banks.items():
        for q in bank.questions:
            views[(skill_id, q.id)] = question_view(q, renderer, bank.path, f"exams/{skill_id}/", t)
    return views
