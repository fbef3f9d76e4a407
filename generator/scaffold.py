"""`cadre init` and `cadre new`: new projects and new skills, never overwriting a file."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

from .content.config import ID_RE
from .errors import CadreError
from .project import load_project


def init_project(target: Path) -> list[Path]:
    """Create a small valid project in `target` (empty or new); return the files written."""
    if target.exists() and any(target.iterdir()):
        raise CadreError(f"{target} is not empty; choose a new or empty folder")
    source = resources.files("generator").joinpath("skeleton")
    written: list[Path] = []

    def copy(node: object, dest: Path) -> None:
        for entry in sorted(node.iterdir(), key=lambda e: e.name):  # type: ignore[attr-defined]
            if entry.is_dir():
                copy(entry, dest / entry.name)
            elif not entry.name.startswith("."):
                dest.mkdir(parents=True, exist_ok=True)
                (dest / entry.name).write_bytes(entry.read_bytes())
                written.append(dest / entry.name)

    target.mkdir(parents=True, exist_ok=True)
    copy(source, target)
    (target / ".gitignore").write_text("site/\ndata/\n.cadre-cache/\n", "utf-8")
    written.append(target / ".gitignore")
    return written


def new_skill(root: Path, skill_id: str, category: str, title: str | None = None, bundle: bool = False) -> Path:
    """Write a new skill file (or bundle) with its front matter filled in; return its path."""
    if not ID_RE.match(skill_id):
        raise CadreError(f"skill id '{skill_id}' must use only a-z, 0-9 and '-' (for example 'tea-pruning')")
    project = load_project(root)
    categories = [c.id for c in project.curriculum.categories]
    if category not in categories:
        raise CadreError(f"unknown category '{category}'; choose one of: {', '.join(categories)}")
    if skill_id in project.skills:
        raise CadreError(f"a skill '{skill_id}' already exists: {project.skills[skill_id].source}")
    folder = project.root / "content" / "skills" / category
    path = folder / skill_id / "index.md" if bundle else folder / f"{skill_id}.md"
    levels = ", ".join(str(lv.id) for lv in project.curriculum.levels)
    text = (
        "---\n"
        f"title: {title or skill_id}\n"
        f"category: {category}\n"
        "summary: 一句话说明这项技能帮群众解决什么问题。\n"
        "hours: 4\n"
        f"levels: [{levels}]\n"
        "tags: []\n"
        f"updated: {dt.date.today().isoformat()}\n"
        "---\n\n"
        "## 这项技能用来做什么\n\n\n"
        "## 操作步骤\n\n1. \n\n"
        "## 常见错误\n\n- \n\n"
        "## 案例\n\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    if bundle:
        (path.parent / "01-basics.md").write_text("---\ntitle: 第一课\n---\n\n## 要点\n\n", "utf-8")
    return path
