"""Writing a report out: an aligned text table, CSV (UTF-8 with BOM for Excel/WPS) or JSON."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from typing import Any

from .data import Table


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def as_text(table: Table) -> str:
    """Return the report as lines a terminal shows aligned (Chinese characters count double)."""
    cells = [list(table.columns)] + [[str(c) for c in row] for row in table.rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(table.columns))]
    lines = [table.title, *table.notes, ""]
    for k, row in enumerate(cells):
        lines.append("  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True)).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def as_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    return buffer.getvalue().encode("utf-8-sig")


def as_json(table: Table) -> str:
    data: dict[str, Any] = {
        "report": table.name, "title": table.title, "notes": table.notes,
        "columns": list(table.columns), "rows": [list(r) for r in table.rows],
        "sections": {k: [list(r) for r in v] if isinstance(v, list) else v for k, v in table.sections.items()},
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
