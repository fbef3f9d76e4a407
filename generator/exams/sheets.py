"""`cadre grade`: read a typed-in answer sheet (CSV or XLSX) and grade each paper attempt on it.

A sheet has a header row `attempt,1,2,3,...` and one row per paper: the attempt code, then the
responses in printed order, in the answer-sheet forms of SPEC §6 and in the letters the cadre saw.
Each good row is graded by `Exams.finish` in a transaction of its own, so an interrupted run
leaves every row either fully graded (attempt closed, certificate written) or untouched, and a
second run grades only what is left. A bad row is reported with its line and column and the
other rows still count; a cell the grader could not read is a bad row, not a silent zero, since
on a typed-in sheet it is more often a typing slip than the cadre's answer (leave a cell empty
for no answer).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content.roster import decode_table_text
from ..errors import CadreError, Diagnostic, ProjectError
from ..quiz.bank import Question
from ..quiz.grading import FALSE_WORDS, MATCH_TOKEN, TRUE_WORDS, letters, normalise, parse_number
from .attempts import _CODE_ALPHABET, LETTERS, Attempt, ExamError, Exams
from .context import open_exams

_SEPARATORS = re.compile(r"[\s,;、]+")
_CODE = re.compile(f"[{_CODE_ALPHABET}]{{4}}-[{_CODE_ALPHABET}]{{4}}-[{_CODE_ALPHABET}]{{4}}")
_TYPE_NAMES = {
    "single": "single choice", "multiple": "multiple choice", "truefalse": "true/false", "fill": "fill-in",
    "numeric": "numeric", "order": "order", "match": "match",
}


@dataclass(frozen=True)
class SheetRow:
    """One row of the sheet: its line (CSV) or row number (XLSX), and its cells from column 1."""

    line: int
    cells: tuple[Any, ...]


@dataclass
class GradeReport:
    """What one run did; `diagnostics` holds every bad row and warning, located."""

    rows: int = 0
    graded: int = 0
    passed: int = 0
    certificates: int = 0
    already: int = 0
    bad: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]


Progress = Callable[[Sequence[SheetRow]], AbstractContextManager[Iterable[SheetRow]]]


def grade_sheet(
    root: Path, ledger: str | None, demo: bool, sheet: Path, name: str | None = None, progress: Progress | None = None,
) -> GradeReport:
    """Grade every row of `sheet`; return the counts and the located problems (`name` is how the sheet is cited)."""
    cited = name or str(sheet)
    rows = read_sheet(sheet, cited)
    grader = SheetGrader(open_exams(root, ledger, demo).exams, cited)
    with (progress or nullcontext)(rows) as bar:
        for row in bar:
            grader.grade_row(row, dt.datetime.now(dt.UTC))
    return grader.report


# -- reading ------------------------------------------------------------------------------------


def read_sheet(path: Path, cited: str) -> list[SheetRow]:
    """Return the sheet's answer rows (blank rows left out); refuse an unreadable file or a wrong header."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = _csv_table(path, cited)
    elif suffix in (".xlsx", ".xlsm"):
        table = _xlsx_table(path, cited)
    else:
        raise CadreError(f"{cited}: an answer sheet must be a .csv or .xlsx file")
    rows = [row for row in table if any(c is not None and str(c).strip() for c in row.cells)]
    if not rows:
        raise CadreError(f"{cited}: the sheet is empty; it needs the header row 'attempt,1,2,3,...' and one row per paper")
    _check_header(rows[0], cited)
    return rows[1:]


def _check_header(header: SheetRow, cited: str) -> None:
    problems = []
    first = normalise(str(header.cells[0] or "")) if header.cells else ""
    if first != "attempt":
        problems.append(Diagnostic(cited, header.line, 1, f"the first column must be headed 'attempt', not '{first}'"))
    # A column put in between (a name, say) would shift every answer after it onto the wrong question.
    for col, cell in enumerate(header.cells[1:], 2):
        text = str(int(cell)) if isinstance(cell, (int, float)) and float(cell).is_integer() else str(cell or "").strip()
        if text and text != str(col - 1):
            problems.append(Diagnostic(
                cited, header.line, col,
                f"column {col} is headed '{text}'; after 'attempt' come the question numbers 1, 2, 3, ...",
            ))
    if problems:
        raise ProjectError(problems)


def _csv_table(path: Path, cited: str) -> Iterator[SheetRow]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CadreError(f"{cited}: cannot read the sheet: {exc.strerror or exc}") from exc
    try:
        text, _ = decode_table_text(raw)
    except UnicodeDecodeError as exc:
        raise CadreError(f"{cited}: cannot read the CSV as UTF-8 or GB18030; save it as 'CSV UTF-8' from Excel or WPS") from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            yield SheetRow(start, tuple(record))
    except csv.Error as exc:
        raise CadreError(f"{cited}:{line}: cannot read the CSV: {exc}") from exc


def _xlsx_table(path: Path, cited: str) -> Iterator[SheetRow]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise CadreError(f"{cited}: cannot open the workbook: {exc}") from exc
    try:
        sheet = book.worksheets[0]
        rows = [SheetRow(r, tuple(values)) for r, values in enumerate(sheet.iter_rows(values_only=True), 1)]
    finally:
        book.close()
    yield from rows


def _text(cell: Any) -> str:
    """Return a cell as the text typed into it (Excel keeps numbers typed as numbers as floats)."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, (dt.date, dt.time)):
        raise ValueError("the cell holds a date or time (the spreadsheet changed what was typed); format the column as text")
    return str(cell).strip()


def attempt_code(text: str) -> str:
    """Return a typed attempt code in its printed form: upper case, XXXX-XXXX-XXXX."""
    code = re.sub(r"[\s-]+", "", text).upper()
    return f"{code[:4]}-{code[4:8]}-{code[8:]}" if len(code) == 12 else text.strip().upper()


# -- the answer-sheet forms ---------------------------------------------------------------------


def read_response(q: Question, choices: int, text: str) -> Any:
    """Return a typed response in its stored form ('ACD', ['55', '20'], '1B 2A'); raise ValueError if unreadable.

    `choices` is how many options, items or right-hand sides the cadre saw.
    """
    kind = q.type
    last = LETTERS[max(choices, 1) - 1]
    if kind in ("single", "multiple", "order"):
        found = letters(text)
        if not found:
            raise ValueError(_expected(kind, last))
        upper = [x.upper() for x in found]
        outside = [x for x in upper if x not in LETTERS[:choices]]
        if outside:
            raise ValueError(f"'{outside[0]}' is not one of the letters A–{last}; " + _expected(kind, last))
        if kind == "single":
            if len(upper) != 1:
                raise ValueError(_expected(kind, last))
            return upper[0]
        if kind == "multiple":
            return "".join(sorted(set(upper)))
        if sorted(upper) != list(LETTERS[:choices]):
            raise ValueError(_expected(kind, last))
        return "".join(upper)
    if kind == "truefalse":
        word = normalise(text)
        if word in TRUE_WORDS:
            return "true"
        if word in FALSE_WORDS:
            return "false"
        raise ValueError(_expected(kind, last))
    if kind == "fill":
        parts = [p.strip() for p in text.split("|")]
        if len(parts) > max(q.blanks, 1):
            raise ValueError(f"{len(parts)} answers separated by '|' for {q.blanks} blank(s)")
        return parts
    if kind == "numeric":
        if parse_number(text) is None:
            raise ValueError(_expected(kind, last))
        return text
    if kind == "match":
        folded = normalise(text)
        if _SEPARATORS.sub("", MATCH_TOKEN.sub("", folded)):
            raise ValueError(_expected(kind, last))
        pairs: dict[int, str] = {}
        for number, letter in MATCH_TOKEN.findall(folded):
            n, x = int(number), letter.upper()
            if not 1 <= n <= choices or x not in LETTERS[:choices]:
                raise ValueError(f"'{n}{x}' is not a pair of 1–{choices} and A–{last}; " + _expected(kind, last))
            if n in pairs:
                raise ValueError(f"{n} is matched twice; " + _expected(kind, last))
            pairs[n] = x
        if not pairs:
            raise ValueError(_expected(kind, last))
        return " ".join(f"{n}{pairs[n]}" for n in sorted(pairs))
    return text


def _expected(kind: str, last: str) -> str:
    return {
        "single": f"write one letter A–{last}, like B",
        "multiple": f"write the letters chosen, A–{last}, like ACD",
        "truefalse": "write 对 or 错 (also true/false, t/f, √/×, 是/否, 正确/错误)",
        "numeric": "write a number, like 3.5",
        "order": f"write each letter A–{last} once, in order, like CABD",
        "match": "write number-letter pairs, like 1B 2A 3C",
    }.get(kind, "")


def _same(a: Any, b: Any) -> bool:
    """Whether two stored responses say the same (case, width and spaces aside; trailing empty blanks ignored)."""
    return bool(_canon(a) == _canon(b))


def _canon(value: Any) -> Any:
    if isinstance(value, list):
        items = [normalise(str(v)) for v in value]
        while items and not items[-1]:
            items.pop()
        return items or None
    if value is None:
        return None
    return normalise(str(value)) or None


# -- grading ------------------------------------------------------------------------------------


class SheetGrader:
    """Grades rows one at a time, each in its own transaction, and keeps the report."""

    def __init__(self, exams: Exams, cited: str) -> None:
        self.exams = exams
        self.cited = cited
        self.report = GradeReport()
        self._seen: dict[str, int] = {}

    def _error(self, row: SheetRow, column: int, message: str) -> None:
        self.report.diagnostics.append(Diagnostic(self.cited, row.line, column, message))

    def _warning(self, row: SheetRow, column: int, message: str) -> None:
        self.report.diagnostics.append(Diagnostic(self.cited, row.line, column, message, "warning"))

    def grade_row(self, row: SheetRow, now: dt.datetime) -> None:
        """Grade one row, or report why not; count what happened."""
        self.report.rows += 1
        before = len(self.report.errors)
        self._grade(row, now)
        if len(self.report.errors) > before:
            self.report.bad += 1

    def _grade(self, row: SheetRow, now: dt.datetime) -> None:
        try:
            typed = _text(row.cells[0]) if row.cells else ""
        except ValueError as exc:
            self._error(row, 1, str(exc))
            return
        if not typed:
            self._error(row, 1, "no attempt code in the first column")
            return
        code = attempt_code(typed)
        attempt = self._attempt(row, code)
        if attempt is None:
            return
        responses = self._responses(row, attempt)
        if responses is None:
            return
        if code in self._seen:
            self._error(row, 1, f"attempt {code} is on the sheet twice (first at line {self._seen[code]}); remove one row")
            return
        self._seen[code] = row.line
        if attempt.submitted_at is not None:
            self._already(row, attempt, responses)
            return
        if now > attempt.deadline:
            self._error(row, 1, f"paper {code} expired on {attempt.deadline:%Y-%m-%d} (a paper is valid for 90 days); "
                                "it was not graded")
            return
        result = self.exams.finish(attempt, responses, now)
        if result is None:  # closed meanwhile by another run
            self._already(row, self.exams.get(code), responses)
            return
        self.report.graded += 1
        self.report.passed += bool(result["passed"])
        self.report.certificates += result["certificate"] is not None

    def _attempt(self, row: SheetRow, code: str) -> Attempt | None:
        """Return the row's attempt if it is a paper attempt this project can grade; else report why not."""
        if not _CODE.fullmatch(code):
            self._error(row, 1, f"'{code}' is not an attempt code (printed on the paper as XXXX-XXXX-XXXX)")
            return None
        try:
            attempt = self.exams.get(code)
        except ExamError:
            self._error(row, 1, f"unknown attempt code {code}: no paper was printed with it from this ledger")
            return None
        if attempt.source != "paper":
            self._error(row, 1, f"attempt {code} was taken online, not on paper; it is graded by the exam server")
            return None
        project = self.exams.project
        bank = project.banks.get(attempt.skill_id)
        if attempt.skill_id not in project.skills or bank is None:
            self._error(row, 1, f"attempt {code} is for skill '{attempt.skill_id}', which this project has no "
                                "question bank for (is it another project's paper?)")
            return None
        if self.exams.cadre(attempt.cadre_id) is None:
            self._error(row, 1, f"attempt {code} is for cadre '{attempt.cadre_id}', who is not in this project's roster")
            return None
        if attempt.level not in {lv.id for lv in project.curriculum.levels}:
            self._error(row, 1, f"attempt {code} is for level {attempt.level}, which the curriculum has no longer")
            return None
        ids = {q.id for q in bank.questions}
        gone = [s.id for s in attempt.shown if s.id not in ids]
        if gone:
            self._error(row, 1, f"attempt {code} has question(s) no longer in quizzes/{attempt.skill_id}.yaml "
                                f"({', '.join(gone)}); put them back to grade this paper")
            return None
        return attempt

    def _responses(self, row: SheetRow, attempt: Attempt) -> dict[str, Any] | None:
        """Return the row's responses by question id, or None after reporting every unreadable cell."""
        bank = self.exams.bank(attempt.skill_id)
        responses: dict[str, Any] = {}
        ok = True
        for column, cell in enumerate(row.cells[1:], 2):
            try:
                text = _text(cell)
            except ValueError as exc:
                self._error(row, column, str(exc))
                ok = False
                continue
            if not text:
                continue
            number = column - 1
            if number > len(attempt.shown):
                self._error(row, column, f"more answers than questions: paper {attempt.id} has {len(attempt.shown)} question(s)")
                return None
            shown = attempt.shown[number - 1]
            q = bank.question(shown.id)
            try:
                responses[q.id] = read_response(q, len(shown.order), text)
            except ValueError as exc:
                self._error(row, column, f"question {number} ({_TYPE_NAMES.get(q.type, q.type)}): cannot read '{text}': {exc}")
                ok = False
        return responses if ok else None

    def _already(self, row: SheetRow, attempt: Attempt, responses: dict[str, Any]) -> None:
        self.report.already += 1
        differ = [n for n, s in enumerate(attempt.shown, 1) if not _same(attempt.responses.get(s.id), responses.get(s.id))]
        if differ:
            when = f"{attempt.submitted_at:%Y-%m-%d %H:%M} UTC" if attempt.submitted_at else "earlier"
            numbers = ", ".join(str(n) for n in differ)
            self._warning(row, 1, f"attempt {attempt.id} was already graded ({when}) with other responses to question(s) "
                                  f"{numbers}; it is not graded again")
