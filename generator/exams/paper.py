"""`cadre exam paper`: one printable paper per cadre, its own draw, its attempt code as text and QR.

Each paper is a paper attempt (`Exams.start(source="paper")`), valid for PAPER_VALIDITY. Three
files are written into one folder: the papers, the trainer's answer key (in the letters each cadre
saw), and a blank answer sheet that `cadre grade` reads back once the answers are typed in.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import segno
from markupsafe import Markup

from ..content.models import Cadre
from ..errors import CadreError
from ..quiz.bank import Question
from ..quiz.draw import Shown
from .attempts import LETTERS, Attempt, ExamError, Exams, shown_answer
from .context import ExamContext, open_exams

PAPERS_FILE = "papers.html"
KEY_FILE = "answer-key.html"
SHEET_FILE = "sheet.csv"

# Why the exam rules refused a cadre, in the language of the rest of the command line.
_REFUSALS = {
    "not_allowed": "may not take this exam now (the level below must be held first)",
    "no_attempts_left": "has no attempts left at this skill and level",
    "attempt_open": "has an online attempt still open",
}
_BLANK_INPUT = re.compile(r'<input class="blank" data-blank="(\d+)"[^>]*>')


@dataclass(frozen=True)
class PaperQuestion:
    """One question as printed: numbered, with its choices lettered in the order drawn."""

    number: int
    id: str
    type: str
    prompt: Markup
    points: str
    options: tuple[Markup, ...] = ()
    items: tuple[Markup, ...] = ()
    left: tuple[Markup, ...] = ()
    right: tuple[Markup, ...] = ()
    blanks: int = 0
    unit: str = ""
    form: str = ""
    answer: str = ""
    accepted: str = ""


@dataclass(frozen=True)
class Paper:
    cadre: Cadre
    attempt: Attempt
    questions: tuple[PaperQuestion, ...]
    qr_svg: Markup


@dataclass(frozen=True)
class Refusal:
    cadre: Cadre
    message: str


@dataclass(frozen=True)
class PaperRun:
    """What `make_papers` did: the folder written, the papers in it, and the cadres refused."""

    out: Path
    papers: tuple[Paper, ...]
    refused: tuple[Refusal, ...]

    @property
    def papers_html(self) -> Path:
        return self.out / PAPERS_FILE

    @property
    def key_html(self) -> Path:
        return self.out / KEY_FILE

    @property
    def sheet_csv(self) -> Path:
        return self.out / SHEET_FILE


def make_papers(
    root: Path, ledger: str | None, demo: bool, skill_id: str, level: int,
    cadre_ids: str | None, township: str | None, out: Path | None, now: dt.datetime | None = None,
) -> PaperRun:
    """Start a paper attempt for each chosen cadre and write papers, answer key and blank sheet."""
    now = now or dt.datetime.now(dt.UTC)
    context = open_exams(root, ledger, demo)
    _check_exam(context, skill_id, level)
    cadres = choose_cadres(context, cadre_ids, township)
    folder = out or context.project.root / "data" / "papers" / f"{skill_id}-L{level}-{now.astimezone():%Y%m%d-%H%M%S}"
    if (folder / PAPERS_FILE).exists():
        raise CadreError(f"{folder / PAPERS_FILE} already exists; choose another --out, so no printed paper loses its key")
    # Made before any attempt is drawn: a folder that cannot be written must not use up attempts.
    folder.mkdir(parents=True, exist_ok=True)

    exams = context.exams
    papers: list[Paper] = []
    refused: list[Refusal] = []
    for cadre in cadres:
        try:
            attempt = exams.start(cadre.id, skill_id, level, now, source="paper")
        except ExamError as exc:
            refused.append(Refusal(cadre, _REFUSALS.get(exc.code, exc.message)))
            continue
        papers.append(paper_of(exams, cadre, attempt))
    run = PaperRun(folder, tuple(papers), tuple(refused))
    if papers:
        write_papers(context, run, skill_id, level)
    return run


def _check_exam(context: ExamContext, skill_id: str, level: int) -> None:
    project = context.project
    if skill_id not in project.skills:
        known = ", ".join(sorted(project.banks)) or "none"
        raise CadreError(f"unknown skill '{skill_id}' (skills with a question bank: {known})")
    if skill_id not in project.banks:
        raise CadreError(f"skill '{skill_id}' has no question bank (quizzes/{skill_id}.yaml)")
    offered = [lv for lv in project.skills[skill_id].levels if project.banks[skill_id].blueprint(lv).sections]
    if level not in offered:
        levels = ", ".join(str(lv) for lv in offered) or "none"
        raise CadreError(f"skill '{skill_id}' has no level-{level} exam (levels with an exam: {levels})")


def choose_cadres(context: ExamContext, cadre_ids: str | None, township: str | None) -> list[Cadre]:
    """Return the cadres named by `--cadres` (in the order given) or those of `--township` (roster order)."""
    project = context.project
    if township is not None:
        chosen = [c for c in project.cadres if c.township == township]
        if not chosen:
            raise CadreError(f"no cadre in township '{township}' (townships: {', '.join(project.townships)})")
        return chosen
    wanted = list(dict.fromkeys(x.strip() for x in (cadre_ids or "").split(",") if x.strip()))
    unknown = [x for x in wanted if context.exams.cadre(x) is None]
    if unknown:
        raise CadreError(f"unknown cadre id(s): {', '.join(unknown)}")
    if not wanted:
        raise CadreError("no cadre chosen; give --cadres ID,ID,... or --township NAME")
    return [c for x in wanted if (c := context.exams.cadre(x)) is not None]


def paper_of(exams: Exams, cadre: Cadre, attempt: Attempt) -> Paper:
    """Return the printable form of one attempt: its questions in the drawn order, and its QR code."""
    bank = exams.bank(attempt.skill_id)
    questions = tuple(
        _question(exams.views[(attempt.skill_id, shown.id)], bank.question(shown.id), shown, n)
        for n, shown in enumerate(attempt.shown, 1)
    )
    return Paper(cadre, attempt, questions, qr_svg(attempt.id))


def qr_svg(code: str) -> Markup:
    """Return the attempt code as an inline SVG QR code (a full QR, never Micro QR), 1 mm a module."""
    return Markup(segno.make_qr(code, error="m").svg_inline(scale=1, unit="mm", title=code))


def _question(view: dict[str, Any], q: Question, shown: Shown, number: int) -> PaperQuestion:
    def pick(values: Sequence[str]) -> tuple[Markup, ...]:
        return tuple(Markup(values[i]) for i in shown.order)

    prompt = view["prompt"]
    blanks = 0
    if q.type == "fill":
        blanks = len(_BLANK_INPUT.findall(prompt))
        prompt = _BLANK_INPUT.sub(lambda m: f'<span class="blank">({int(m.group(1)) + 1})</span>', prompt)
    right = shown_answer(q, shown)
    return PaperQuestion(
        number=number, id=q.id, type=q.type, prompt=Markup(prompt), points=str(view["points"]),
        options=pick(view["options"]) if "options" in view else (),
        items=pick(view["items"]) if "items" in view else (),
        left=tuple(Markup(x) for x in view.get("left", ())),
        right=pick(view["right"]) if "right" in view else (),
        blanks=blanks, unit=str(view.get("unit", "")),
        form=_form(q.type, len(shown.order), blanks),
        answer=sheet_form(q.type, right), accepted=_accepted(q),
    )


def _form(kind: str, n: int, blanks: int) -> str:
    """Return how the answer is written on the sheet, as the answer box shows it."""
    last = LETTERS[max(n, 1) - 1]
    return {
        "single": f"一个字母(A–{last}),如 B",
        "multiple": f"所有正确选项的字母(A–{last}),如 ACD",
        "truefalse": "对 或 错",
        "fill": " | ".join(["____"] * max(blanks, 1)) + (f"({blanks} 个空,用 | 隔开)" if blanks > 1 else ""),
        "numeric": "一个数",
        "order": f"按正确顺序写字母(A–{last} 各一次),如 CABD",
        "match": "编号加字母,如 1B 2A 3C",
    }.get(kind, "")


def sheet_form(kind: str, answer: Any) -> str:
    """Return an answer as it is written on the answer sheet: 'B', 'ACD', '对', '55|20', '1B 2A 3C'."""
    if kind == "truefalse":
        return "对" if answer is True else "错" if answer is False else str(answer)
    if kind == "fill" and isinstance(answer, list):
        return "|".join(str(a) for a in answer)
    return "" if answer is None else str(answer)


def _accepted(q: Question) -> str:
    """Return what else the grader accepts, for the answer key: other strings per blank, a tolerance."""
    if q.type == "fill":
        blanks = q.raw.get("answer", [])
        if any(isinstance(b, list) and len(b) > 1 for b in blanks):
            return " | ".join(" / ".join(str(x) for x in b) if isinstance(b, list) else str(b) for b in blanks)
    if q.type == "numeric":
        tolerance = q.raw.get("tolerance", 0)
        unit = q.raw.get("unit") or ""
        return f"±{tolerance} {unit}".strip() if tolerance else str(unit)
    return ""


def write_papers(context: ExamContext, run: PaperRun, skill_id: str, level: int) -> None:
    """Write papers.html, answer-key.html and sheet.csv into the run's folder."""
    project = context.project
    names = {lv.id: lv.name for lv in project.curriculum.levels}
    common = {
        "title": project.site.title, "skill": project.skills[skill_id], "level": level,
        "level_name": names.get(level, str(level)), "papers": run.papers,
        "types": _TYPE_NAMES,
    }
    run.papers_html.write_text(_PAPERS.render(**common), "utf-8")
    run.key_html.write_text(_KEY.render(**common), "utf-8")
    run.sheet_csv.write_bytes(blank_sheet(run.papers).encode("utf-8-sig"))


def blank_sheet(papers: Sequence[Paper]) -> str:
    """Return the blank answer sheet: `attempt,1,2,...` and one row per paper with its code filled in."""
    width = max((len(p.questions) for p in papers), default=0)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["attempt", *range(1, width + 1)])
    for paper in papers:
        writer.writerow([paper.attempt.id, *[""] * width])
    return buffer.getvalue()


_TYPE_NAMES = {
    "single": "单选", "multiple": "多选", "truefalse": "判断", "fill": "填空",
    "numeric": "数值", "order": "排序", "match": "连线",
}

_ENV = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined)
_ENV.globals["letters"] = LETTERS

_STYLE = """
@page { size: A4; margin: 15mm 15mm 15mm 18mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; font-size: 11pt;
       line-height: 1.5; margin: 0; color: #000; }
.paper { break-after: page; page-break-after: always; }
.paper:last-child { break-after: auto; page-break-after: auto; }
header.top { display: flex; justify-content: space-between; align-items: flex-start; gap: 6mm;
             border-bottom: 2px solid #000; padding-bottom: 3mm; margin-bottom: 4mm; }
header.top h1 { font-size: 15pt; margin: 0 0 1mm; }
header.top p { margin: 0.5mm 0; }
.code { font: bold 20pt/1.2 "DejaVu Sans Mono", Consolas, monospace; letter-spacing: 1pt; }
.qr { text-align: center; flex: none; }
.qr svg { width: 29mm; height: 29mm; display: block; }
.rules { font-size: 9.5pt; border: 1px solid #999; padding: 2mm 3mm; margin-bottom: 4mm; }
.q { display: grid; grid-template-columns: 1fr 42mm; gap: 4mm; break-inside: avoid; page-break-inside: avoid;
     border-bottom: 1px dotted #999; padding: 2mm 0; }
.q .num { font-weight: bold; margin-right: 1mm; }
.q .body p { margin: 0 0 1mm; display: inline; }
.q ol { margin: 1mm 0 0; padding-left: 3mm; list-style: none; }
.match { display: grid; grid-template-columns: 1fr 1fr; gap: 4mm; }
.blank { display: inline-block; min-width: 24mm; border-bottom: 1px solid #000; font-size: 8pt; color: #555;
         vertical-align: bottom; }
.box { border: 1.5px solid #000; min-height: 14mm; padding: 1mm 1.5mm; font-size: 8pt; color: #444; }
.box .label { display: block; }
.meta { font-size: 8.5pt; color: #444; }
table.key { border-collapse: collapse; width: 100%; margin-bottom: 6mm; break-inside: avoid; }
table.key th, table.key td { border: 1px solid #777; padding: 1mm 2mm; text-align: left; vertical-align: top; }
table.key td.answer { font: bold 12pt "DejaVu Sans Mono", Consolas, monospace; }
"""

_PAPERS = _ENV.from_string(
    """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{{ title }} · {{ skill.title }} {{ level_name }}考试试卷</title>
<style>""" + _STYLE + """</style></head>
<body>
{% for paper in papers %}
<section class="paper" id="{{ paper.attempt.id }}">
  <header class="top">
    <div>
      <h1>{{ title }}</h1>
      <p><b>{{ skill.title }}</b>({{ skill.id }})· {{ level_name }}(第 {{ level }} 级)技能认证考试</p>
      <p>姓名:<b>{{ paper.cadre.name }}</b>  工号:{{ paper.cadre.id }}  乡镇:{{ paper.cadre.township }}</p>
      <p>考试码:</p>
      <p class="code">{{ paper.attempt.id }}</p>
      <p class="meta">本试卷共 {{ paper.questions|length }} 题,在 {{ paper.attempt.deadline.strftime("%Y-%m-%d") }} 前有效。</p>
    </div>
    <div class="qr">{{ paper.qr_svg }}</div>
  </header>
  <p class="rules">请把答案写在每题右边的答题框里,照框中提示的格式写:单选写一个字母(如 B),多选写所有正确选项的字母(如 ACD),
  判断写“对”或“错”,填空按顺序写、各空之间用 | 隔开,数值题写一个数,排序题按正确顺序写字母(如 CABD),
  连线题写“编号加字母”(如 1B 2A 3C)。不会的题留空。</p>
  {% for q in paper.questions %}
  <div class="q">
    <div class="body">
      <span class="num">{{ q.number }}.</span><span class="meta">[{{ types[q.type] }},{{ q.points }} 分]</span>
      {{ q.prompt }}
      {% if q.options %}
      <ol>{% for o in q.options %}<li><b>{{ letters[loop.index0] }}.</b> {{ o }}</li>{% endfor %}</ol>
      {% elif q.items %}
      <ol>{% for o in q.items %}<li><b>{{ letters[loop.index0] }}.</b> {{ o }}</li>{% endfor %}</ol>
      {% elif q.left %}
      <div class="match">
        <ol>{% for o in q.left %}<li><b>{{ loop.index }}.</b> {{ o }}</li>{% endfor %}</ol>
        <ol>{% for o in q.right %}<li><b>{{ letters[loop.index0] }}.</b> {{ o }}</li>{% endfor %}</ol>
      </div>
      {% elif q.type == "truefalse" %}
      <p class="meta">(对 / 错)</p>
      {% elif q.type == "numeric" and q.unit %}
      <p class="meta">(单位:{{ q.unit }})</p>
      {% endif %}
    </div>
    <div class="box"><span class="label">答:{{ q.form }}</span></div>
  </div>
  {% endfor %}
</section>
{% endfor %}
</body></html>
"""
)

_KEY = _ENV.from_string(
    """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{{ title }} · {{ skill.title }} {{ level_name }}考试 答案(教员用)</title>
<style>""" + _STYLE + """</style></head>
<body>
<h1>{{ skill.title }} · {{ level_name }} 答案(教员用,请勿发给考生)</h1>
<p class="meta">每份试卷的题目和选项顺序都不同:请按考试码查对应的答案。答案写法与答题表相同。</p>
{% for paper in papers %}
<table class="key" id="key-{{ paper.attempt.id }}">
  <caption><b class="code">{{ paper.attempt.id }}</b>
    {{ paper.cadre.name }}({{ paper.cadre.id }},{{ paper.cadre.township }})</caption>
  <tr><th>题号</th><th>题型</th><th>答案</th><th>分值</th><th>也算对</th><th>题目编号</th></tr>
  {% for q in paper.questions %}
  <tr><td>{{ q.number }}</td><td>{{ types[q.type] }}</td><td class="answer">{{ q.answer }}</td><td>{{ q.points }}</td>
      <td>{{ q.accepted }}</td><td class="meta">{{ q.id }}</td></tr>
  {% endfor %}
</table>
{% endfor %}
</body></html>
"""
)
