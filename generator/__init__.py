"""cadre: training sites, exams and a verifiable certificate ledger for township cadres."""

from __future__ import annotations

from .project import load_project
from .quiz.grading import grade
from .render.site import build_site

__version__ = "0.1.0"

__all__ = ["__version__", "build_site", "grade", "load_project"]
