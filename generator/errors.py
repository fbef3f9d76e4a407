"""Errors a user can see: every one names a file, and a line and column where it can."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import click


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One located problem in the project: `path:line:column: error: message`."""

    path: str
    line: int
    column: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return f"{where}: {self.severity}: {self.message}"


class Diagnostics:
    """Collects every error and warning of a run, so all are reported at once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.items: list[Diagnostic] = []

    def rel(self, path: Path | str) -> str:
        """Return `path` relative to the project root, with forward slashes."""
        p = Path(path)
        try:
            return p.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return p.as_posix()

    def error(self, path: Path | str, line: int, column: int, message: str) -> None:
        self.items.append(Diagnostic(self.rel(path), line, column, message))

    def warning(self, path: Path | str, line: int, column: int, message: str) -> None:
        self.items.append(Diagnostic(self.rel(path), line, column, message, "warning"))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    def count(self) -> int:
        """Return how many errors have been reported so far."""
        return sum(1 for d in self.items if d.severity == "error")

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def raise_if_errors(self) -> None:
        """Raise ProjectError carrying every diagnostic if any is an error."""
        if self.errors:
            raise ProjectError(self.items)


class CadreError(click.ClickException):
    """An error meant for the user: printed without a traceback, exit code 2."""

    exit_code = 2

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True, file=file)


class ProjectError(CadreError):
    """The project has content errors; each is a located line."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics, key=_order)
        errors = [d for d in self.diagnostics if d.severity == "error"]
        super().__init__(f"{len(errors)} error(s) in the project")

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    def show(self, file: IO[Any] | None = None) -> None:
        out = file or sys.stderr
        for d in self.diagnostics:
            click.echo(str(d), file=out)
        n = len(self.errors)
        click.echo(f"Found {n} error{'s' if n != 1 else ''}; nothing was written.", file=out)


def _order(d: Diagnostic) -> tuple[str, int, int, str]:
    return (d.path, d.line, d.column, d.message)
