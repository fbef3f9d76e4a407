"""Opening a project's exam state: the project, its store, its ledger and the exam rules."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..content.models import Project
from ..errors import CadreError
from ..ledger.log import Ledger
from ..project import load_project
from ..store.db import Database, ledger_exists, ledger_url
from .attempts import Exams
from .views import question_views


@dataclass
class ExamContext:
    project: Project
    db: Database
    ledger: Ledger
    exams: Exams


def key_dir(root: Path, demo: bool = False) -> Path:
    """Where the ledger's signing key lives (never published): data/, or data/demo/ for the demo."""
    return root / "data" / "demo" if demo else root / "data"


def open_ledger(project: Project, ledger: str | None = None, demo: bool = False, must_exist: bool = False) -> Ledger | None:
    """Return the project's ledger; None if it has none yet and `must_exist` is false."""
    url = ledger_url(project.root, ledger, demo)
    if not ledger_exists(url):
        if must_exist:
            hint = "run 'cadre build --demo' first" if demo else "certificates are issued by 'cadre serve' and 'cadre grade'"
            raise CadreError(f"no ledger at {url} yet ({hint})")
        return None
    return Ledger(Database(url), key_dir(project.root, demo), project.site.ledger_prefix)


def open_exams(root: Path, ledger: str | None = None, demo: bool = False) -> ExamContext:
    """Load and check the project, open (or create) its store and ledger, and render every question."""
    project = load_project(root)
    url = ledger_url(project.root, ledger, demo)
    db = Database(url)
    log = Ledger(db, key_dir(project.root, demo), project.site.ledger_prefix)
    return ExamContext(project, db, log, Exams(project, db, log, question_views(project)))
