"""`cadre guide`: the service guide of each township as print-ready HTML and, on request, PDF."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import CadreError
from ..exams.context import open_ledger
from ..i18n import Translator
from ..ledger.log import parse_time
from ..project import load_project
from .guide import guide_context, render_guide, townships_with_cadres
from .pdf import html_to_pdf, weasyprint_module


@dataclass(frozen=True)
class Printed:
    township: str
    html: Path
    pdf: Path | None
    cadres: int
    warnings: tuple[str, ...]


def write_guides(
    root: Path, township: str | None, pdf: bool, paper: str, out: Path | None, demo: bool, ledger: str | None,
    progress: Callable[[str], None] = lambda _: None,
) -> list[Printed]:
    """Write guide-<township>.html (and .pdf) for one or every township into `out` (default print/)."""
    project = load_project(root)
    if pdf:
        weasyprint_module()
    townships = townships_with_cadres(project)
    if township is not None:
        if township not in townships:
            raise CadreError(f"no cadre in township '{township}' (townships with cadres: {', '.join(townships)})")
        townships = [township]
    log = open_ledger(project, ledger, demo)
    sth = log.tree_head() if log else None
    certificates = log.certificates() if log else []
    as_of = parse_time(sth["timestamp"]) if sth else None
    t = Translator(project.site.locale)
    folder = out or project.root / "print"
    folder.mkdir(parents=True, exist_ok=True)
    printed = []
    for name in townships:
        progress(name)
        context = guide_context(project, name, certificates, as_of, t)
        html = render_guide(project, context, t, paper=paper, demo=demo)
        html_path = folder / f"guide-{name}.html"
        html_path.write_text(html, "utf-8")
        pdf_path: Path | None = None
        warnings: list[str] = []
        if pdf:
            data, warnings = html_to_pdf(html, folder)
            pdf_path = folder / f"guide-{name}.pdf"
            pdf_path.write_bytes(data)
        printed.append(Printed(name, html_path, pdf_path, context["count"], tuple(warnings)))
    return printed
