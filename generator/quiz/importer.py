"""`cadre quiz import`: a GIFT or Aiken file becomes a checked question bank."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..content.models import Project
from ..errors import CadreError, Diagnostics, ProjectError
from ..project import load_project
from .bank import load_bank
from .imports import Skipped, detect_format, parse_aiken, parse_gift


@dataclass(frozen=True)
class ImportResult:
    out: Path
    imported: int
    skipped: tuple[Skipped, ...]
    format: str


class _BankDumper(yaml.SafeDumper):
    """Writes banks a trainer can read: block lists, Chinese as is, short lists inline."""


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = len(data) <= 6 and all(isinstance(x, (int, float)) or (isinstance(x, str) and len(x) <= 12) for x in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_BankDumper.add_representer(list, _represent_list)
_BankDumper.add_representer(str, _represent_str)


def import_questions(root: Path, source: Path, skill: str, out: Path | None, level: int, force: bool) -> ImportResult:
    """Read `source` (GIFT or Aiken), write the bank for `skill`, and check it as `cadre check` would."""
    project = load_project(root)
    if skill not in project.skills:
        raise CadreError(f"unknown skill '{skill}'; the bank must belong to a skill in content/skills/")
    if level not in project.skills[skill].levels:
        offered = ", ".join(str(lv) for lv in project.skills[skill].levels)
        raise CadreError(f"skill '{skill}' does not offer level {level} (levels: {offered})")
    try:
        text = source.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise CadreError(f"cannot read {source}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise CadreError(f"{source} is not UTF-8 text; save it as UTF-8 and try again") from exc
    kind = detect_format(source.name, text)
    parsed = parse_gift(text, level) if kind == "gift" else parse_aiken(text, level)
    if not parsed.questions:
        raise CadreError(f"{source}: no question could be imported ({len(parsed.skipped)} skipped)")
    target = out or project.root / "quizzes" / f"{skill}.yaml"
    if target.exists() and not force:
        raise CadreError(f"{target} already exists; choose another --out, or --force to replace it")
    body = yaml.dump(
        {"skill": skill, "questions": parsed.questions},
        Dumper=_BankDumper, allow_unicode=True, sort_keys=False, width=100,
    )
    header = f"# Imported from {source.name} ({kind.upper()}) by cadre quiz import. Review, then mark practice questions.\n"
    text = header + body
    _check(text, skill, project)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(text, "utf-8")
    tmp.replace(target)
    return ImportResult(target, len(parsed.questions), tuple(parsed.skipped), kind)


def _check(text: str, skill: str, project: Project) -> None:
    """Raise ProjectError if the bank text would not pass `cadre check` as quizzes/<skill>.yaml."""
    diags = Diagnostics(project.root)
    with tempfile.TemporaryDirectory() as folder:
        staged = Path(folder) / f"{skill}.yaml"
        staged.write_text(text, "utf-8")
        load_bank(staged, {s.id: s.levels for s in project.skills.values()}, {lv.id for lv in project.curriculum.levels}, diags)
    if diags.errors:
        raise ProjectError(diags.items)
