"""Paper exams: printed papers with their codes and QR, the answer key, and grading typed-in sheets."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import segno
from click.testing import CliRunner, Result

from generator.cli import main
from generator.exams.attempts import LETTERS, Attempt, shown_answer
from generator.exams.context import ExamContext, open_exams
from generator.exams.paper import sheet_form
from generator.quiz.bank import Question
from generator.quiz.draw import Shown

from .conftest import REPO, MakeProject
from .quizproject import BANK

# Every question of the bank on every paper, so each paper shows all seven types.
ALL_TYPES_BANK = BANK.replace("count: 3", "count: 10")
CADRES = """
- id: c1
  name: 林雪梅
  township: 云溪乡
  post: 农村指导员
  duties: 联系东村
  phone: "100-0000-0001"
- id: c2
  name: 王建国
  township: 云溪乡
  post: 平安助理
  duties: 矛盾调解
  phone: "100-0000-0002"
- id: c3
  name: 赵秀英
  township: 石门镇
  post: 科技助理
  duties: 产业指导
  phone: "100-0000-0003"
"""


@pytest.fixture
def project(make_project: MakeProject) -> Path:
    return make_project({"quizzes/alpha.yaml": ALL_TYPES_BANK, "content/cadres.yaml": CADRES})


def cadre(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def make_papers(root: Path, out: Path, *who: str) -> list[str]:
    """Print papers and return their attempt codes, in sheet order."""
    result = cadre("exam", "paper", "alpha", "--level", "1", *who, "--out", str(out), "--project", str(root))
    assert result.exit_code == 0, result.output
    return [row[0] for row in read_csv(out / "sheet.csv")[1:]]


def read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "the sheet is UTF-8 with BOM, so Excel and WPS open it right"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def questions(context: ExamContext, code: str) -> list[tuple[Question, Shown]]:
    attempt = context.exams.get(code)
    bank = context.exams.bank(attempt.skill_id)
    return [(bank.question(s.id), s) for s in attempt.shown]


def right_row(context: ExamContext, code: str) -> list[Any]:
    """The attempt's right answers in the printed order and letters, as a clerk types them."""
    return [code, *(sheet_form(q.type, shown_answer(q, s)) for q, s in questions(context, code))]


def wrong(q: Question, s: Shown) -> str:
    """A readable answer that is always wrong (a shuffle never shows order or match items as they are)."""
    right = shown_answer(q, s)
    shown = LETTERS[: len(s.order)]
    if q.type in ("single", "multiple"):
        return next(x for x in shown if x not in right)
    if q.type == "match":
        return " ".join(f"{pair[:-1]}{shown[(shown.index(pair[-1]) + 1) % len(shown)]}" for pair in right.split())
    return {"truefalse": "对" if right is False else "错", "fill": "不知道", "numeric": "-999", "order": shown}[q.type]


def wrong_row(context: ExamContext, code: str) -> list[Any]:
    return [code, *(wrong(q, s) for q, s in questions(context, code))]


def write_sheet(path: Path, rows: list[list[Any]], encoding: str = "utf-8-sig") -> Path:
    width = max(len(r) for r in rows) - 1
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["attempt", *range(1, width + 1)])
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def entries(root: Path) -> list[dict[str, Any]]:
    return open_exams(root).ledger.entries()


# -- printing ---------------------------------------------------------------------------------


def test_papers_answer_key_and_blank_sheet(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "session"
    codes = make_papers(project, out, "--township", "云溪乡")
    assert len(codes) == 2 and len(set(codes)) == 2

    sheet = read_csv(out / "sheet.csv")
    assert sheet[0] == ["attempt", *map(str, range(1, 11))]
    assert all(row[1:] == [""] * 10 for row in sheet[1:])

    papers = (out / "papers.html").read_text("utf-8")
    key = (out / "answer-key.html").read_text("utf-8")
    assert "林雪梅" in papers and "王建国" in papers and "赵秀英" not in papers
    assert "测试站点" in papers and "甲技能" in papers and "初级" in papers
    assert papers.count('class="paper"') == 2 and "break-after: page" in papers and "size: A4" in papers

    context = open_exams(project)
    sections = papers.split('<section class="paper"')[1:]
    for code, section in zip(codes, sections, strict=True):
        attempt = context.exams.get(code)
        assert code in section
        who = context.exams.cadre(attempt.cadre_id)
        assert who is not None and who.name in section and who.id in section and who.township in section
        _check_printed_order(context, attempt, section)
        _check_qr(section, code)
        # The key lists the paper's answers in the letters that paper shows.
        table = key.split(f'id="key-{code}"')[1].split("</table>")[0]
        for (q, s), n in zip(questions(context, code), range(1, 11), strict=True):
            answer = sheet_form(q.type, shown_answer(q, s))
            assert re.search(rf"<td>{n}</td><td>[^<]+</td><td class=\"answer\">{re.escape(answer)}</td>", table), (n, answer)
    # The exam-only questions are printed (papers are not published), with blanks as lines to write on.
    assert "EXAMONLY-PROMPT-ONE" in papers and '<span class="blank">(1)</span>' in papers and "<input" not in papers


def _check_printed_order(context: ExamContext, attempt: Attempt, section: str) -> None:
    """Questions in the drawn order; options, items and right sides lettered in the shown order."""
    positions = []
    for n, shown in enumerate(attempt.shown, 1):
        view = context.exams.views[("alpha", shown.id)]
        body = section.split(f'<span class="num">{n}.</span>')[1].split('<div class="q">')[0]
        positions.append(section.index(f'<span class="num">{n}.</span>'))
        for kind in ("options", "items", "right"):
            for i, bank_index in enumerate(shown.order if kind in view else ()):
                assert f"<b>{LETTERS[i]}.</b> {view[kind][bank_index]}" in body
        for i, left in enumerate(view.get("left", ())):
            assert f"<b>{i + 1}.</b> {left}" in body
        form = {"single": "如 B", "multiple": "如 ACD", "truefalse": "对 或 错", "fill": "____", "numeric": "一个数",
                "order": "如 CABD", "match": "如 1B 2A 3C"}[view["type"]]
        assert form in body.split('<div class="box">')[1]
    assert positions == sorted(positions)


def _check_qr(section: str, code: str) -> None:
    """The QR code is an inline SVG at least 20 mm wide that reads back as the attempt code.

    It is decoded with zbarimg where that is installed (from a bitmap made from the SVG's own
    path, not from a fresh encoding); without it, the SVG must equal segno's encoding of the code.
    """
    svg = re.search(r"<svg[^>]*>.*?</svg>", section, re.S)
    assert svg is not None
    width = re.search(r'<svg[^>]*\bwidth="([\d.]+)mm"', svg.group(0))
    assert width is not None and float(width.group(1)) >= 20
    if shutil.which("zbarimg") is None:
        assert svg.group(0) == segno.make_qr(code, error="m").svg_inline(scale=1, unit="mm", title=code)
        return
    assert zbar_decode(svg.group(0)) == code


def zbar_decode(svg: str) -> str:
    """Rasterise a segno SVG path (M, m, h commands; one module per unit) to PBM and read it with zbarimg."""
    box = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    path = re.search(r'\sd="([^"]+)"', svg)
    assert box is not None and path is not None
    w, h = int(box.group(1)), int(box.group(2))
    grid = [[0] * w for _ in range(h)]
    x = y = 0.0
    for command, args in re.findall(r"([MmHh])([^MmHh]+)", path.group(1)):
        nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", args)]
        if command == "M":
            x, y = nums
        elif command == "m":
            x, y = x + nums[0], y + nums[1]
        else:
            length = nums[0] if command == "h" else nums[0] - x
            for col in range(int(x), int(x + length)):
                grid[int(y)][col] = 1
            x += length
    scale = 6
    lines = [" ".join(str(c) for c in row for _ in range(scale)) for row in grid for _ in range(scale)]
    pbm = f"P1\n{w * scale} {h * scale}\n" + "\n".join(lines) + "\n"
    done = subprocess.run(["zbarimg", "--raw", "-q", "-"], input=pbm.encode(), capture_output=True, check=False)
    if done.returncode != 0:  # some builds read only files
        tmp = Path(os.environ.get("TMPDIR", "/tmp")) / f"qr-{os.getpid()}.pbm"
        tmp.write_text(pbm)
        done = subprocess.run(["zbarimg", "--raw", "-q", str(tmp)], capture_output=True, check=False)
        tmp.unlink()
    return done.stdout.decode().strip()


def test_refusals_are_reported_and_the_others_get_papers(project: Path, tmp_path: Path) -> None:
    # The bank allows 2 attempts: c1 uses both, then only c2 gets a paper.
    make_papers(project, tmp_path / "a", "--cadres", "c1")
    make_papers(project, tmp_path / "b", "--cadres", "c1")
    result = cadre("exam", "paper", "alpha", "-l", "1", "--township", "云溪乡", "-o", str(tmp_path / "c"), "-p", str(project))
    assert result.exit_code == 0, result.output
    assert "warning: no paper for 林雪梅 (c1): has no attempts left at this skill and level" in result.output
    assert "Wrote 1 paper(s)" in result.output
    assert len(read_csv(tmp_path / "c" / "sheet.csv")) == 2

    result = cadre("exam", "paper", "alpha", "-l", "1", "--cadres", "c1", "-o", str(tmp_path / "d"), "-p", str(project))
    assert result.exit_code == 2 and "error: no paper was made" in result.output
    # Papers already in a folder are never overwritten: their key would be lost.
    result = cadre("exam", "paper", "alpha", "-l", "1", "--cadres", "c3", "-o", str(tmp_path / "c"), "-p", str(project))
    assert result.exit_code == 2 and "already exists" in result.output
    for args, message in [
        (["--cadres", "c3", "--township", "云溪乡"], "give exactly one of --cadres IDS and --township NAME"),
        (["--cadres", "c9"], "unknown cadre id(s): c9"),
        (["--township", "无此乡"], "no cadre in township '无此乡'"),
    ]:
        result = cadre("exam", "paper", "alpha", "-l", "1", *args, "-p", str(project))
        assert result.exit_code == 2 and message in result.output, result.output
    result = cadre("exam", "paper", "alpha", "-l", "3", "--cadres", "c3", "-p", str(project))
    assert result.exit_code == 2 and "skill 'alpha' has no level-3 exam" in result.output


def test_default_folder(project: Path) -> None:
    result = cadre("exam", "paper", "alpha", "--level", "1", "--cadres", "c3", "--project", str(project))
    assert result.exit_code == 0, result.output
    (folder,) = (project / "data" / "papers").iterdir()
    assert re.fullmatch(r"alpha-L1-\d{8}-\d{6}", folder.name)
    assert sorted(p.name for p in folder.iterdir()) == ["answer-key.html", "papers.html", "sheet.csv"]


# -- grading ----------------------------------------------------------------------------------


def test_grade_a_sheet_twice(project: Path, tmp_path: Path) -> None:
    good, poor = make_papers(project, tmp_path / "papers", "--cadres", "c1,c2")
    context = open_exams(project)
    sheet = write_sheet(tmp_path / "answers.csv", [right_row(context, good), wrong_row(context, poor), ["ZZZZ-ZZZZ-ZZZZ", "A"]])

    result = cadre("grade", str(sheet), "--project", str(project))
    assert result.exit_code == 2
    assert f"{sheet}:4:1: error: unknown attempt code ZZZZ-ZZZZ-ZZZZ" in result.output
    assert "Graded 2 (passed 1, certificates issued/renewed 1), already graded 0, bad rows 1" in result.output
    (entry,) = entries(project)
    assert (entry["type"], entry["cadre_id"], entry["score"], entry["attempt_id"]) == ("issue", "c1", "100.0", good)
    assert context.exams.get(poor).result is not None and context.exams.get(poor).result["score"] == "0.0"

    result = cadre("grade", str(sheet), "--project", str(project))
    assert result.exit_code == 2
    assert "Graded 0 (passed 0, certificates issued/renewed 0), already graded 2, bad rows 1" in result.output
    assert "warning" not in result.output
    assert len(entries(project)) == 1

    # A corrected row for a graded paper is not graded again, but it is pointed out.
    fixed = write_sheet(tmp_path / "fixed.csv", [right_row(context, good), right_row(context, poor)])
    result = cadre("grade", str(fixed), "--project", str(project))
    assert result.exit_code == 0
    assert f"{fixed}:3:1: warning: attempt {poor} was already graded" in result.output
    assert "with other responses to question(s) 1, 2, 3, 4, 5, 6, 7, 8, 9, 10; it is not graded again" in result.output
    assert "already graded 2, bad rows 0" in result.output
    assert len(entries(project)) == 1
    assert open_exams(project).ledger.verify().ok


def test_grade_an_xlsx_sheet(project: Path, tmp_path: Path) -> None:
    (code,) = make_papers(project, tmp_path / "papers", "--cadres", "c3")
    context = open_exams(project)
    row: list[Any] = right_row(context, code)
    for n, (q, _s) in enumerate(questions(context, code), 1):
        if q.type == "numeric":
            row[n] = 100.0  # typed as a number, kept by Excel as a float
        if q.type == "truefalse":
            row[n] = False  # WPS turns FALSE into a boolean cell
    book = openpyxl.Workbook()
    book.active.append(["attempt", *range(1, 11)])
    book.active.append([code.lower().replace("-", " "), *row[1:]])  # codes are read as typed, in any case
    book.save(tmp_path / "answers.xlsx")
    result = cadre("grade", str(tmp_path / "answers.xlsx"), "--project", str(project))
    assert result.exit_code == 0, result.output
    assert "Graded 1 (passed 1, certificates issued/renewed 1), already graded 0, bad rows 0" in result.output
    assert [e["attempt_id"] for e in entries(project)] == [code]


def test_grade_a_gb18030_sheet(project: Path, tmp_path: Path) -> None:
    (code,) = make_papers(project, tmp_path / "papers", "--cadres", "c2")
    context = open_exams(project)
    row = right_row(context, code)
    for n, (q, _s) in enumerate(questions(context, code), 1):
        if q.id == "f1":
            row[n] = "五十五 | 20"  # another accepted string, spaces around the bar
        if q.type == "match":
            row[n] = row[n].replace(" ", ",").lower()
    sheet = write_sheet(tmp_path / "answers.csv", [row], encoding="gb18030")
    result = cadre("grade", str(sheet), "--project", str(project))
    assert result.exit_code == 0, result.output
    assert "Graded 1 (passed 1" in result.output
    assert context.exams.get(code).result["score"] == "100.0"  # type: ignore[index]


def test_bad_rows_are_located_and_the_others_count(project: Path, tmp_path: Path) -> None:
    a, b, c = make_papers(project, tmp_path / "papers", "--cadres", "c1,c2,c3")
    context = open_exams(project)
    online = context.exams.start("c1", "alpha", 1, dt.datetime.now(dt.UTC))
    types = [q.type for q, _ in questions(context, b)]
    single = types.index("single") + 2
    match = types.index("match") + 2
    bad_cells = [b] + [""] * 10
    bad_cells[single - 1] = "Z"
    bad_cells[match - 1] = "1A 1B"
    rows = [
        [*right_row(context, a), "A"],  # one answer too many
        bad_cells,
        [online.id, "A"],
        ["", "A"],
        ["not-a-code"],
        wrong_row(context, c),
        wrong_row(context, c),
    ]
    sheet = write_sheet(tmp_path / "answers.csv", rows)
    result = cadre("grade", str(sheet), "--project", str(project))
    assert result.exit_code == 2
    last = LETTERS[len(questions(context, b)[single - 2][1].order) - 1]
    cells = sorted([
        (single, f"{sheet}:3:{single}: error: question {single - 1} (single choice): cannot read 'Z': "
                 f"'Z' is not one of the letters A–{last}; write one letter A–{last}, like B"),
        (match, f"{sheet}:3:{match}: error: question {match - 1} (match): cannot read '1A 1B': 1 is matched twice; "
                "write number-letter pairs, like 1B 2A 3C"),
    ])
    lines = [line for line in result.output.splitlines() if ": error: " in line]
    assert lines == [
        f"{sheet}:2:12: error: more answers than questions: paper {a} has 10 question(s)",
        *(line for _, line in cells),
        f"{sheet}:4:1: error: attempt {online.id} was taken online, not on paper; it is graded by the exam server",
        f"{sheet}:5:1: error: no attempt code in the first column",
        f"{sheet}:6:1: error: 'NOT-A-CODE' is not an attempt code (printed on the paper as XXXX-XXXX-XXXX)",
        f"{sheet}:8:1: error: attempt {c} is on the sheet twice (first at line 7); remove one row",
    ]
    assert "Graded 1 (passed 0, certificates issued/renewed 0), already graded 0, bad rows 6" in result.output

    # A paper whose cadre left the roster (or whose skill is not this project's) is not graded.
    (project / "content" / "cadres.yaml").write_text(CADRES.split("- id: c2")[0], "utf-8")
    fixed = write_sheet(tmp_path / "fixed.csv", [right_row(context, b)])
    result = cadre("grade", str(fixed), "--project", str(project))
    assert result.exit_code == 2
    assert f"{fixed}:2:1: error: attempt {b} is for cadre 'c2', who is not in this project's roster" in result.output


def test_an_expired_paper_is_not_graded(project: Path, tmp_path: Path) -> None:
    context = open_exams(project)
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=91)
    attempt = context.exams.start("c1", "alpha", 1, long_ago, source="paper")
    sheet = write_sheet(tmp_path / "answers.csv", [right_row(context, attempt.id)])
    result = cadre("grade", str(sheet), "--project", str(project))
    assert result.exit_code == 2
    assert f"{sheet}:2:1: error: paper {attempt.id} expired on {attempt.deadline:%Y-%m-%d} (a paper is valid for 90 days)" in result.output
    assert context.exams.get(attempt.id).submitted_at is None


def test_a_sheet_with_a_wrong_header_is_refused_whole(project: Path, tmp_path: Path) -> None:
    (code,) = make_papers(project, tmp_path / "papers", "--cadres", "c1")
    sheet = tmp_path / "answers.csv"
    sheet.write_text(f"attempt,name,1,2\n{code},林雪梅,A,B\n", "utf-8")
    result = cadre("grade", str(sheet), "--project", str(project))
    assert result.exit_code == 2
    assert f"{sheet}:1:2: error: column 2 is headed 'name'; after 'attempt' come the question numbers 1, 2, 3, ..." in result.output
    assert open_exams(project).exams.get(code).submitted_at is None
    sheet.write_text("", "utf-8")
    result = cadre("grade", str(sheet), "--project", str(project))
    assert result.exit_code == 2 and "the sheet is empty" in result.output


# -- a crash in the middle of a large sheet ---------------------------------------------------

TWO_QUESTIONS = """
skill: alpha
exam:
  1: {minutes: 20, attempts: 5, draw: [{level: 1, count: 2}]}
questions:
  - id: s1
    level: 1
    type: single
    prompt: 单选
    options: [甲, 乙, 丙]
    answer: B
  - id: t1
    level: 1
    type: truefalse
    prompt: 判断
    answer: false
"""
PAPERS = 10_000
PER_CADRE = 5


def test_killed_midway_leaves_no_half_graded_paper(make_project: MakeProject, tmp_path: Path) -> None:
    """SIGKILL during a 10,000-row sheet: every row is graded fully or not at all, and a rerun finishes the rest once."""
    roster = io.StringIO()
    writer = csv.writer(roster)
    writer.writerow(["id", "name", "township", "post", "duties", "phone"])
    for i in range(PAPERS // PER_CADRE):
        writer.writerow([f"c{i:05d}", f"干部{i}", "云溪乡", "干事", "值班", f"100-0{i:04d}"])
    root = make_project({"quizzes/alpha.yaml": TWO_QUESTIONS, "content/cadres.csv": roster.getvalue()})

    started = time.perf_counter()
    context = open_exams(root)
    now = dt.datetime.now(dt.UTC)
    with context.db.transaction():  # Exams.start's own transaction nests: one commit for all
        attempts = [context.exams.start(c.id, "alpha", 1, now, source="paper")
                    for c in context.project.cadres for _ in range(PER_CADRE)]
    rows = []
    for k, attempt in enumerate(attempts):  # every other paper right, the others wrong
        cells = [sheet_form(q.type, shown_answer(q, s)) if k % 2 == 0 else wrong(q, s) for q, s in questions(context, attempt.id)]
        rows.append([attempt.id, *cells])
    sheet = write_sheet(tmp_path / "answers.csv", rows)
    context.db.close()
    setup = time.perf_counter() - started

    command = [sys.executable, "-m", "generator", "grade", str(sheet), "--project", str(root), "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    database = root / "data" / "ledger.sqlite3"
    graded = 0
    while graded < 300 and time.perf_counter() - started < 60 and process.poll() is None:
        time.sleep(0.02)
        graded = _graded(database)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    at_kill = _consistent(root)
    assert 0 < at_kill < PAPERS, "the kill must land in the middle of the sheet"

    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    rerun = time.perf_counter() - started
    assert done.returncode == 0, done.stderr
    assert f"Graded {PAPERS - at_kill} " in done.stdout and f"already graded {at_kill}, bad rows 0" in done.stdout
    assert _consistent(root) == PAPERS
    log = entries(root)
    assert len(log) == PAPERS // 2 and sum(e["type"] == "issue" for e in log) == PAPERS // PER_CADRE

    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and f"Graded 0 (passed 0, certificates issued/renewed 0), already graded {PAPERS}" in done.stdout
    assert len(entries(root)) == len(log)
    print(f"\n{PAPERS} papers: set up {setup:.1f} s; {at_kill} graded before the kill; the rest graded in {rerun:.1f} s")


def _graded(database: Path) -> int:
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as db:
            return int(db.execute("SELECT COUNT(*) FROM attempts WHERE submitted_at IS NOT NULL").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0


def _consistent(root: Path) -> int:
    """Check that no paper is half graded; return how many are graded."""
    context = open_exams(root)
    assert context.ledger.verify().ok
    rows = context.db.query("SELECT id, submitted_at, passed, result FROM attempts")
    graded = {aid for aid, submitted, _p, _r in rows if submitted is not None}
    assert graded == {aid for aid, _s, _p, result in rows if result is not None}
    passed = {aid for aid, submitted, was_passed, _r in rows if submitted is not None and was_passed}
    issued = [e["attempt_id"] for e in context.ledger.entries() if e["type"] in ("issue", "renew")]
    assert len(issued) == len(set(issued)), "a paper was certified twice"
    assert set(issued) == passed, "every certificate's paper is graded, and every graded pass has its certificate"
    context.db.close()
    return len(graded)
