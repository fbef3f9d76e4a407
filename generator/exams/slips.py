"""`cadre accounts issue`: new PINs, stored hashed, handed out on printed slips (and optionally CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2

from ..errors import CadreError
from ..project import load_project
from ..store.db import Database, ledger_url
from .accounts import issue_pins


@dataclass(frozen=True)
class Written:
    count: int
    slips: Path
    csv: Path | None


SLIPS = jinja2.Template(
    """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ title }} · 考试 PIN 码</title>
<style>
@page { size: A4; margin: 10mm; }
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 0; }
.sheet { display: grid; grid-template-columns: 1fr 1fr; }
.slip { border: 1px dashed #777; padding: 5mm 6mm; height: 52mm; box-sizing: border-box; break-inside: avoid; }
.slip h2 { font-size: 11pt; margin: 0 0 2mm; }
.who { font-size: 14pt; font-weight: bold; margin: 1mm 0; }
.pin { font: bold 20pt monospace; letter-spacing: 2pt; margin: 2mm 0; }
.note { font-size: 8.5pt; color: #333; margin: 1mm 0; }
.cut { text-align: center; font-size: 8pt; color: #777; }
</style></head>
<body>
<p class="cut">✂ 沿虚线剪开,每人一张,本人妥善保管。PIN 码只在这里出现一次,系统中只保存其加密摘要。</p>
<div class="sheet">
{%- for cadre, pin in issued %}
<div class="slip">
  <h2>{{ title }} · 在线考试登录凭条</h2>
  <p class="who">{{ cadre.name }} <small>{{ cadre.township }}{% if cadre.village %} {{ cadre.village }}{% endif %}</small></p>
  <p class="note">工号:<b>{{ cadre.id }}</b></p>
  <p class="pin">PIN {{ pin }}</p>
  <p class="note">考试网址:{{ exam_url }}  ·  输错 5 次将锁定 15 分钟。</p>
</div>
{%- endfor %}
</div>
</body></html>
""",
    autoescape=True,
)


def issue_accounts(
    root: Path, ledger: str | None, demo: bool, township: str | None, cadre_ids: str | None,
    out: Path | None, csv_out: Path | None, progress: Callable[[str], None] = lambda cadre_id: None,
) -> Written:
    """Issue PINs to the chosen cadres, write the slips (and CSV); return what was written."""
    project = load_project(root)
    cadres = list(project.cadres)
    if township:
        cadres = [c for c in cadres if c.township == township]
        if not cadres:
            raise CadreError(f"no cadre in township '{township}' (townships: {', '.join(project.townships)})")
    if cadre_ids:
        wanted = [x.strip() for x in cadre_ids.split(",") if x.strip()]
        unknown = [x for x in wanted if x not in {c.id for c in project.cadres}]
        if unknown:
            raise CadreError(f"unknown cadre id(s): {', '.join(unknown)}")
        cadres = [c for c in cadres if c.id in wanted]
    if not cadres:
        raise CadreError("no cadre to issue a PIN to")
    db = Database(ledger_url(project.root, ledger, demo))
    issued = issue_pins(db, cadres, dt.datetime.now(dt.UTC), progress)
    slips = out or project.root / "data" / "pin-slips.html"
    slips.parent.mkdir(parents=True, exist_ok=True)
    exam_url = (project.site.base_url or "") + "exams/" if project.site.base_url else "(考试服务器地址)/exams/"
    slips.write_text(SLIPS.render(title=project.site.title, issued=issued, exam_url=exam_url), "utf-8")
    if csv_out:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["id", "name", "pin"])
        for cadre, pin in issued:
            writer.writerow([cadre.id, cadre.name, pin])
        csv_out.parent.mkdir(parents=True, exist_ok=True)
        csv_out.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return Written(len(issued), slips, csv_out)
