"""Practice quizzes: the public questions of a bank, as data the page carries inline."""

from __future__ import annotations

import html
import json
import random
import re
from pathlib import Path
from typing import Any

from ..content.models import Project
from ..markdown import MarkdownRenderer
from ..quiz.bank import BLANK, Bank, Question
from ..quiz.draw import shuffle

# Text with none of Markdown's markers, on one line: rendered as a paragraph without the parser.
_PLAIN = re.compile(r"[^\n*_`\[\]()<>#|!~\\&{}=+-]*")
_GRADING_KEYS = ("type", "answer", "points", "scoring", "tolerance", "items", "pairs")
_BLANK_MARK = "\ue000"


def inline(html: str) -> str:
    """Return rendered Markdown without the paragraph around a one-paragraph text."""
    m = re.fullmatch(r"<p>(.*)</p>", html.strip(), re.S)
    return m.group(1) if m and "<p>" not in m.group(1) else html.strip()


def question_view(q: Question, render: MarkdownRenderer, source: Path, page: str, t: Any) -> dict[str, Any]:
    """Return what the practice page needs of one question: HTML to show, and the grading mapping."""

    def md(text: str) -> str:
        # Most prompts, options and explanations are one plain line; Markdown would only wrap it.
        if _PLAIN.fullmatch(text):
            return f"<p>{html.escape(text, quote=False)}</p>"
        return render.render(text, source, page).html

    view: dict[str, Any] = {"id": q.id, "type": q.type, "points": str(q.points)}
    if q.type == "fill":
        prompt = md(BLANK.sub(_BLANK_MARK, q.prompt))
        for i in range(q.blanks):
            label = t("blank_n", n=i + 1)
            prompt = prompt.replace(
                _BLANK_MARK, f'<input class="blank" data-blank="{i}" aria-label="{label}" autocomplete="off">', 1
            )
        view["prompt"] = prompt
    else:
        view["prompt"] = md(q.prompt)
    if q.options:
        view["options"] = [inline(md(o)) for o in q.options]
    if q.items:
        view["items"] = [inline(md(i)) for i in q.items]
    if q.pairs:
        view["left"] = [inline(md(left)) for left, _ in q.pairs]
        view["right"] = [inline(md(right)) for _, right in q.pairs]
    if q.type in ("order", "match"):
        view["shown"] = list(shuffle(q, random.Random(f"practice:{q.id}")).order)
    if q.type == "numeric":
        view["unit"] = str(q.raw.get("unit") or "")
    view["explanation"] = md(q.explanation) if q.explanation else ""
    view["q"] = {k: _jsonable(q.raw[k]) for k in _GRADING_KEYS if k in q.raw}
    return view


def _jsonable(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float):
        return value
    if isinstance(value, (str, int, bool)) or value is None:
        return value
    return str(value)


def practice_data(project: Project, bank: Bank, render: MarkdownRenderer, page: str, t: Any) -> dict[str, Any]:
    """Return the inline data of one skill's practice page (practice questions only)."""
    return {
        "site": project.site.title,
        "skill": bank.skill,
        "questions": [question_view(q, render, bank.path, page, t) for q in bank.practice],
    }


def script_json(data: Any) -> str:
    """Return JSON safe to put inside <script type="application/json">."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")
