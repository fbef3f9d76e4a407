"""A page of the site: where it goes, which template renders it, and with what."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Page:
    """One HTML page to render: where it goes, with which template and data."""

    path: str
    template: str
    title: str
    section: str
    context: dict[str, Any] = field(default_factory=dict)
    crumbs: tuple[tuple[str, str], ...] = ()
    description: str = ""
    scripts: tuple[str, ...] = ()
