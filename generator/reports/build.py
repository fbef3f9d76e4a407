"""The reports in the site (reports/): one page per report with charts, and each as CSV."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..content.models import Project
from ..i18n import Translator
from ..ledger.log import Certificate
from ..render.page import Page
from ..store.db import Database
from .charts import bar_chart
from .data import REPORTS, Table, report
from .output import as_csv

# Pages list at most this many detail rows; the CSV beside them holds all of them.
PAGE_ROWS = 60


def _number(text: Any) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        return 0.0


def report_tables(
    project: Project, certs: list[Certificate], db: Database | None, as_of: dt.datetime, t: Translator
) -> list[Table]:
    """Return the four reports, in the order the site lists them."""
    return [report(name, project, certs, db, as_of, t) for name in REPORTS]


def report_pages(
    project: Project, tables: list[Table], as_of: dt.datetime | None, t: Translator
) -> tuple[list[Page], dict[str, bytes]]:
    """Return the reports' pages and their CSV files."""
    home = ((t("nav_home"), ""),)
    crumbs = (*home, (t("reports_title"), "reports/"))
    files = {f"reports/{table.name}.csv": as_csv(table) for table in tables}
    charts: dict[str, list[str]] = {}
    for table in tables:
        s = table.sections
        if table.name == "coverage":
            charts["coverage"] = [
                bar_chart(t("chart_coverage_township"), [(r[0], _number(r[3])) for r in s["by_township"]]),
                bar_chart(t("chart_coverage_post"), [(r[0], _number(r[4])) for r in s["by_post"]]),
            ]
        elif table.name == "training":
            charts["training"] = [bar_chart(t("chart_training_township"), [(r[0], _number(r[3])) for r in s["by_township"]])]
        elif table.name == "items":
            charts["items"] = [bar_chart(t("chart_items_mean"), [(f"{r[0]} {r[1]}", _number(r[3])) for r in s["banks"]])]
    edition = as_of.date().isoformat() if as_of else ""
    pages = [Page("reports/", "reports.html", t("reports_title"), "reports",
                  {"tables": tables, "charts": charts, "edition": edition}, home)]
    for table in tables:
        pages.append(Page(f"reports/{table.name}/", "report.html", table.title, "reports",
                          {"table": table, "charts": charts.get(table.name, []), "edition": edition,
                           "rows": table.rows[:PAGE_ROWS], "short": table.sections.get("short", [])[:PAGE_ROWS],
                           "review": table.sections.get("review", [])[:PAGE_ROWS],
                           "page_rows": PAGE_ROWS, "truncated": max(len(table.rows), len(table.sections.get("short", [])),
                                            len(table.sections.get("review", []))) > PAGE_ROWS}, crumbs))
    return pages, files
