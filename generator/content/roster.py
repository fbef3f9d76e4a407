"""The roster of cadres, from cadres.yaml, cadres.csv or cadres.xlsx."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import Diagnostics
from ..yamlloc import LDict, LList, Pos, load_yaml_file
from .config import name_problem
from .models import Cadre
from .schema import Fields

FIELDS = ("id", "name", "township", "village", "post", "duties", "phone", "electives")
REQUIRED = ("id", "name", "township")
ROSTER_NAMES = ("cadres.yaml", "cadres.yml", "cadres.csv", "cadres.xlsx")

# One roster row, with the positions of its cells, and where the row itself is.
Row = tuple[LDict, Pos]


def find_roster(content: Path, diags: Diagnostics) -> Path | None:
    """Return the one roster file in `content/`, reporting none or several."""
    present = [content / n for n in ROSTER_NAMES if (content / n).is_file()]
    if len(present) > 1:
        names = ", ".join(p.name for p in present)
        diags.error(present[1], 0, 0, f"more than one roster file ({names}); keep exactly one")
    return present[0] if present else None


def load_roster(path: Path, diags: Diagnostics) -> tuple[list[Cadre], dict[str, dict[str, Pos]]]:
    """Return the cadres and, per cadre id, where its fields are (for later reference checks)."""
    if path.suffix in (".yaml", ".yml"):
        rows = list(_yaml_rows(path, diags))
    elif path.suffix == ".csv":
        rows = list(_csv_rows(path, diags))
    else:
        rows = list(_xlsx_rows(path, diags))
    cadres: list[Cadre] = []
    where: dict[str, dict[str, Pos]] = {}
    first: dict[str, int] = {}
    for data, at in rows:
        f = Fields(diags, path, data, "a roster row", FIELDS, REQUIRED, at=at)
        cid = f.text("id")
        electives = f.data.get("electives")
        if isinstance(electives, str):
            items = tuple(e.strip() for e in electives.replace(";", ";").split(";") if e.strip())
            e_pos = {e: f.at("electives") for e in items}
        else:
            located = f.text_list("electives")
            items = tuple(e for e, _ in located)
            e_pos = {e: p for e, p in located}
        if not cid:
            continue
        if cid in first:
            f.fail("id", f"duplicate cadre id '{cid}' (first used at line {first[cid]})")
            continue
        first[cid] = f.at("id").line
        cadre = Cadre(
            id=cid,
            name=f.text("name"),
            township=f.text("township"),
            post=f.text("post"),
            village=f.text("village"),
            duties=f.text("duties"),
            phone=f.text("phone"),
            electives=items,
        )
        for key in ("township", "post"):
            problem = name_problem(getattr(cadre, key))
            if problem:
                f.fail(key, problem)
        for key, label in (("post", "post"), ("phone", "phone number"), ("duties", "duties")):
            if not getattr(cadre, key):
                p = f.at(key)
                diags.warning(path, p.line, p.column, f"cadre '{cid}' ({cadre.name}) has no {label}; the guide will print a gap")
        cadres.append(cadre)
        where[cid] = {**{f"elective:{e}": p for e, p in e_pos.items()}, "row": at}
    return cadres, where


def _yaml_rows(path: Path, diags: Diagnostics) -> Iterator[Row]:
    data = load_yaml_file(path, diags)
    if data is None:
        return
    if not isinstance(data, LList):
        diags.error(path, 1, 1, "cadres.yaml must be a list of cadres (each line starting with '- id: ...')")
        return
    for i, item in enumerate(data):
        yield item, data.item_pos[i]


def decode_table_text(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes as Excel and WPS save them: UTF-8 (with or without BOM), else GB18030."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("gb18030"), "gb18030"


def _csv_rows(path: Path, diags: Diagnostics) -> Iterator[Row]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        diags.error(path, 0, 0, f"cannot read file: {exc.strerror or exc}")
        return
    try:
        text, _ = decode_table_text(raw)
    except UnicodeDecodeError:
        diags.error(path, 0, 0, "cannot read the CSV as UTF-8 or GB18030; save it as 'CSV UTF-8' from Excel or WPS")
        return
    # Excel allows 32,767 characters in a cell; the csv module's default limit is 131,072.
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 24))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    line = 1
    records = iter(reader)
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except csv.Error as exc:
            lines = text.split("\n")
            first = lines[line - 1] if line - 1 < len(lines) else ""
            quote = first.find('"')
            if "unexpected end of data" in str(exc) or "EOF" in str(exc):
                # Columns of CSV errors are field numbers, as everywhere in the roster.
                field = first[:quote].count(",") + 1 if quote >= 0 else 1
                diags.error(path, line, field, "the quoted cell that starts here is never closed (a '\"' is missing)")
            else:
                diags.error(path, line, 1, f"cannot read this CSV row: {exc}")
            return
        start, line = line, reader.line_num + 1
        if header is None:
            header = [h.strip().lower() for h in record]
            seen: set[str] = set()
            for col, name in enumerate(header, 1):
                if name in seen:
                    diags.error(path, start, col, f"duplicate column '{name}' in the header row")
                seen.add(name)
            continue
        if not any(cell.strip() for cell in record):
            continue
        row = LDict()
        row.pos, row.key_pos, row.value_pos = Pos(start, 1), {}, {}
        for col, cell in enumerate(record):
            name = header[col] if col < len(header) else f"column {col + 1}"
            if not name or (col >= len(header) and not cell.strip()):
                continue
            if cell.strip():
                row[name] = cell.strip()
            row.key_pos[name] = row.value_pos[name] = Pos(start, col + 1)
        yield row, Pos(start, 1)


def _xlsx_rows(path: Path, diags: Diagnostics) -> Iterator[Row]:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a declared dependency
        diags.error(path, 0, 0, "reading .xlsx needs openpyxl: pip install openpyxl")
        return
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        diags.error(path, 0, 0, f"cannot open the workbook: {exc}")
        return
    try:
        sheet = book.worksheets[0]
        header: list[str] | None = None
        for r, values in enumerate(sheet.iter_rows(values_only=True), 1):
            if header is None:
                header = [str(v).strip().lower() if v is not None else "" for v in values]
                seen_columns: set[str] = set()
                for col, name in enumerate(header, 1):
                    if name and name in seen_columns:
                        diags.error(path, r, col, f"duplicate column '{name}' in the header row")
                    seen_columns.add(name)
                continue
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            row = LDict()
            row.pos, row.key_pos, row.value_pos = Pos(r, 1), {}, {}
            for c, value in enumerate(values):
                name = header[c] if c < len(header) else ""
                if not name:
                    continue
                if value is not None and str(value).strip() != "":
                    row[name] = _cell(value)
                row.key_pos[name] = row.value_pos[name] = Pos(r, c + 1)
            yield row, Pos(r, 1)
    finally:
        book.close()


def _cell(value: Any) -> Any:
    # Excel keeps phone numbers typed as numbers as floats: 10000000001.0
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)
