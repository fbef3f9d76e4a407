"""The reports: coverage, expiring, training and items, on the command line and in the site."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.exams.attempts import shown_answer
from generator.exams.context import open_exams
from generator.render.site import build_site

from .conftest import REPO, MakeProject
from .examproject import FILES

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=1)


@pytest.fixture
def graded_project(make_project: MakeProject) -> Path:
    """c1 passes (all right), c2 fails twice (all wrong), c3 passes with a certificate that expires soon."""
    root = make_project(FILES)
    context = open_exams(root)
    exams = context.exams

    def take(cadre: str, right: bool, when: dt.datetime) -> dict[str, Any]:
        attempt = exams.start(cadre, "alpha", 1, when)
        bank = exams.bank("alpha")
        responses = {s.id: shown_answer(bank.question(s.id), s) if right else None for s in attempt.shown}
        result = exams.finish(attempt, responses, when + dt.timedelta(minutes=10))
        assert result is not None
        return result

    take("c1", True, NOW)
    take("c2", False, NOW)
    take("c2", False, NOW + dt.timedelta(hours=1))
    take("c3", True, NOW - dt.timedelta(days=3 * 365 - 30))
    context.db.close()
    return root


def run(root: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["report", *args, "-p", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_coverage_names_who_falls_short(graded_project: Path) -> None:
    data = json.loads(run(graded_project, "coverage", "--format", "json"))
    rows = {r[2]: r for r in data["rows"]}
    assert rows["c1"][4:7] == [1, "是", "1/1"]
    assert rows["c2"][4:8] == [0, "否", "0/1", "甲技能"]
    assert data["notes"][0].startswith("2/3 名干部达到至少 1 项有效证书")
    towns = {r[0]: r for r in data["sections"]["by_township"]}
    assert towns["云溪乡"][1:4] == [2, 1, "50.0"]


def test_expiring_within_days(graded_project: Path) -> None:
    soon = json.loads(run(graded_project, "expiring", "--format", "json", "--days", "3650"))
    assert [r[4] for r in soon["rows"]][:1] == ["张小兰"]
    table = run(graded_project, "expiring", "--days", "1")
    assert "0 张证书将在 1 天内到期" in table


def test_training_counts_attempts_and_pass_rates(graded_project: Path) -> None:
    data = json.loads(run(graded_project, "training", "--format", "json"))
    assert data["rows"] == [["甲技能", "初级", 4, 2, "50.0", "50.0"]]
    assert {r[0]: r[1:] for r in data["sections"]["by_township"]} == {"云溪乡": [3, 1, "33.3"], "石门镇": [1, 1, "100.0"]}


def test_csv_is_utf8_with_bom(graded_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "coverage.csv"
    CliRunner().invoke(main, ["report", "coverage", "--format", "csv", "--out", str(out), "-p", str(graded_project)],
                       catch_exceptions=False)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["乡镇", "岗位", "工号", "姓名"] and len(rows) == 4


def test_items_report_has_every_question_seen(graded_project: Path) -> None:
    data = json.loads(run(graded_project, "items", "--format", "json"))
    assert {r[2] for r in data["rows"]} <= {"s1", "m1", "t1", "f1", "n1", "o1", "p1", "x1", "x2", "x3"}
    assert all(r[3] >= 1 for r in data["rows"])


def test_site_has_report_pages_with_charts(graded_project: Path) -> None:
    build_site(graded_project)
    site = graded_project / "site" / "reports"
    for name in ("coverage", "expiring", "training", "items"):
        assert (site / name / "index.html").is_file()
        assert (site / f"{name}.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    page = (site / "coverage" / "index.html").read_text("utf-8")
    assert '<svg class="chart"' in page and "王建国" in page


def test_reference_demo_reports(tmp_path: Path) -> None:
    out = tmp_path / "site"
    CliRunner().invoke(main, ["build", "--demo", "-q", "-p", str(REPO), "--out", str(out)], catch_exceptions=False)
    items = (out / "reports" / "items" / "index.html").read_text("utf-8")
    assert "需要复查的题目" in items and ("discrimination < 0.2" in items or "facility" in items)
    assert (out / "reports" / "index.html").read_text("utf-8").count('<svg class="chart"') >= 3
