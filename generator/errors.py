"""Errors a user can see: every one names a file, and a line and column where it can."""

from __future__ import annotations

import re
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
        self._places: set[tuple[str, int, int]] = set()
        self._indexed = 0

    def rel(self, path: Path | str) -> str:
        """Return `path` relative to the project root, with forward slashes."""
        p = Path(path)
        try:
            return p.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return p.as_posix()

    def error(self, path: Path | str, line: int, column: int, message: str) -> None:
        self.items.append(Diagnostic(self.rel(path), line, column, plain_message(path, line, column, message)))

    def warning(self, path: Path | str, line: int, column: int, message: str) -> None:
        self.items.append(Diagnostic(self.rel(path), line, column, plain_message(path, line, column, message), "warning"))

    def has_error_at(self, path: Path | str, line: int, column: int) -> bool:
        """Return whether an error is already reported at this place (so a consequence of it need not be)."""
        # Indexed as `items` grows (others append to it directly); rebuilt if it was ever emptied.
        if len(self.items) < self._indexed:
            self._places.clear()
            self._indexed = 0
        for d in self.items[self._indexed :]:
            if d.severity == "error":
                self._places.add((d.path, d.line, d.column))
        self._indexed = len(self.items)
        return (self.rel(path), line, column) in self._places

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


# Every message passes through plain_message on its way in, so wording that reaches us from
# PyYAML or Python itself is mended once, here, whatever loader let it through.
_YAML_MARK = re.compile(r'^\s*in ".*", line \d+, column \d+:?$')
_INT_DIGITS = re.compile(
    r"Exceeds the limit \((\d+) digits\) for integer string conversion(?:: value has (\d+) digits)?[^;]*"
    r"(?:; use sys\.set_int_max_str_digits\(\) to increase the limit)?"
)
_NO_TOKEN = "invalid YAML: found character that cannot start any token"
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def plain_message(path: Path | str, line: int, column: int, message: str) -> str:
    """Return `message` as one line a user can act on.

    PyYAML puts its source mark (and a snippet) on lines of their own, which would break one
    diagnostic per line; Python's limit on long numbers advises a call only a programmer can make;
    libyaml's "cannot start any token" never says the character is a tab, which most editors do
    not show.
    """
    if "\n" in message:
        kept = [x.strip() for x in message.splitlines() if x.strip() and not x[:1].isspace() and not _YAML_MARK.match(x)]
        message = "; ".join(kept) or message.strip().splitlines()[0]
    message = _INT_DIGITS.sub(_digits, message)
    if message == _NO_TOKEN and _char_at(path, line, column) == "\t":
        message = "invalid YAML: a tab cannot indent YAML; indent with spaces"
    return message


def _digits(m: re.Match[str]) -> str:
    limit, digits = m.group(1), m.group(2)
    if digits:
        return f"a number with {digits} digits is too long (at most {limit})"
    return f"a number with more than {limit} digits is too long"


def _char_at(path: Path | str, line: int, column: int) -> str:
    """Return the character at a 1-based line and column of a text file, or '' if there is none."""
    if line < 1 or column < 1:
        return ""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig", errors="replace")
    except OSError:
        return ""
    lines = _LINE_BREAK.split(text)
    if line > len(lines) or column > len(lines[line - 1]):
        return ""
    return lines[line - 1][column - 1]


def _order(d: Diagnostic) -> tuple[str, int, int, str]:
    return (d.path, d.line, d.column, d.message)
