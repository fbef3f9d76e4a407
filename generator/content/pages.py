"""Skills (single files and bundles with lessons) and free guide pages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import Diagnostics
from ..yamlloc import Pos, load_yaml, read_text
from .config import ID_RE
from .models import Guide, Lesson, Skill
from .schema import Fields

SKILL_KEYS = (
    "id", "title", "category", "summary", "hours", "levels",
    "prerequisites", "tags", "trainers", "updated",
)
LESSON_RE = re.compile(r"^(\d+)-(.+)\.md$")
_FENCE = re.compile(r"^---[ \t]*$")


def split_front_matter(text: str) -> tuple[str | None, str, int, bool]:
    """Return (front matter or None, body, 1-based body line, whether the fence was closed)."""
    lines = text.split("\n")
    if not _FENCE.match(lines[0].rstrip("\r")):
        return None, text, 1, True
    for i in range(1, len(lines)):
        if _FENCE.match(lines[i].rstrip("\r")):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 2, True
    return None, text, 1, False


def read_page(path: Path, diags: Diagnostics) -> tuple[Any, str, int] | None:
    """Read a Markdown file: return (front matter data or None, body, body line), None if unreadable."""
    text = read_text(path, diags)
    if text is None:
        return None
    fm, body, line, closed = split_front_matter(text)
    if not closed:
        diags.error(path, 1, 1, "front matter starts with '---' but has no closing '---' line")
        return None
    if fm is None:
        return None, body, line
    before = diags.count()
    data = load_yaml(fm, path, diags, line_offset=1)
    if data is None and diags.count() > before:
        return None
    return data, body, line


def discover_skills(skills_dir: Path) -> list[tuple[str, Path, Path | None]]:
    """Return (folder category, index file, bundle folder or None) for every skill, sorted."""
    found: list[tuple[str, Path, Path | None]] = []
    if not skills_dir.is_dir():
        return found
    by_name = lambda p: p.name  # noqa: E731 - comparing names is much faster than comparing paths
    for cat_dir in sorted((p for p in skills_dir.iterdir() if p.is_dir() and not p.name.startswith(".")), key=by_name):
        for entry in sorted(cat_dir.iterdir(), key=by_name):
            if entry.name.startswith("."):
                continue
            if entry.is_file() and entry.suffix == ".md":
                found.append((cat_dir.name, entry, None))
            elif entry.is_dir() and (entry / "index.md").is_file():
                found.append((cat_dir.name, entry / "index.md", entry))
    return found


SkillRefs = dict[str, tuple[tuple[Any, Pos], ...]]


def load_skill(
    folder_category: str, index: Path, bundle: Path | None, diags: Diagnostics
) -> tuple[Skill, SkillRefs] | None:
    """Return one skill with its lessons and the located ids it names, or None if unreadable."""
    page = read_page(index, diags)
    if page is None:
        return None
    data, body, body_line = page
    if data is None:
        diags.error(index, 1, 1, "a skill needs front matter between '---' lines with at least 'title' and 'category'")
        return None
    f = Fields(diags, index, data, "skill front matter", SKILL_KEYS, ("title", "category"), at=Pos(1, 1))
    default_id = bundle.name if bundle else index.stem
    sid = f.text("id", default_id)
    p = f.at("id") if f.has("id") else Pos(1, 1)
    if not ID_RE.match(sid):
        diags.error(index, p.line, p.column, f"skill id '{sid}' must use only a-z, 0-9 and '-' (rename the file or set 'id')")
    elif len(sid.encode()) > 255:
        diags.error(index, p.line, p.column,
                    f"skill id '{sid}' is too long to be a folder of the site ({len(sid.encode())} bytes; at most 255)")
    category = f.text("category")
    if category and category != folder_category:
        f.fail("category", f"category '{category}' does not match the folder '{folder_category}' the skill is in")
    levels = f.int_list("levels")
    prerequisites = f.text_list("prerequisites")
    lessons: list[Lesson] = []
    if bundle is not None:
        lessons = _load_lessons(bundle, diags)
    return Skill(
        id=sid,
        title=f.text("title"),
        category=category,
        source=index,
        body=body,
        body_line=body_line,
        summary=f.text("summary"),
        hours=f.integer("hours", 0, minimum=0),
        levels=tuple(sorted({lv for lv, _ in levels})),
        prerequisites=tuple(p for p, _ in prerequisites),
        tags=tuple(t for t, _ in f.text_list("tags")),
        trainers=tuple(t for t, _ in f.text_list("trainers")),
        updated=f.date("updated"),
        bundle=bundle,
        lessons=tuple(lessons),
        extra=dict(f.mapping("extra") or {}),
    ), {"levels": levels, "prerequisites": prerequisites, "category": ((category, f.at("category")),)}


def _load_lessons(bundle: Path, diags: Diagnostics) -> list[Lesson]:
    lessons: list[Lesson] = []
    slugs: dict[str, Path] = {}
    for path in sorted(bundle.glob("*.md")):
        if path.name == "index.md":
            continue
        m = LESSON_RE.match(path.name)
        if not m:
            diags.error(path, 0, 0, "a lesson file must be named NN-name.md (for example 01-basics.md)")
            continue
        slug = m.group(2)
        if slug == "practice":
            diags.error(path, 0, 0, f"lesson name 'practice' is taken by the skill's practice page "
                                    f"(skills/{bundle.name}/practice/); rename the file")
            continue
        if not ID_RE.match(slug):
            diags.error(path, 0, 0, f"lesson name '{slug}' must use only a-z, 0-9 and '-'")
            continue
        if slug in slugs:
            diags.error(path, 0, 0, f"lesson name '{slug}' is also used by {slugs[slug].name}")
            continue
        slugs[slug] = path
        page = read_page(path, diags)
        if page is None:
            continue
        data, body, body_line = page
        title = ""
        if data is not None:
            lf = Fields(diags, path, data, "lesson front matter", ("title",), at=Pos(1, 1))
            title = lf.text("title")
        if not title:
            title = _first_heading(body) or slug
        lessons.append(Lesson(slug, title, path, body, body_line))
    return lessons


def _first_heading(body: str) -> str:
    m = re.search(r"^#{1,6}\s+(.+?)\s*#*\s*$", body, re.M)
    return m.group(1) if m else ""


def load_guide(path: Path, diags: Diagnostics) -> Guide | None:
    """Return one guide page, or None after reporting why it cannot be read."""
    page = read_page(path, diags)
    if page is None:
        return None
    data, body, body_line = page
    if data is None:
        diags.error(path, 1, 1, "a guide needs front matter between '---' lines with at least 'title'")
        return None
    f = Fields(diags, path, data, "guide front matter", ("title", "summary", "order"), ("title",), at=Pos(1, 1))
    slug = path.stem
    if not ID_RE.match(slug):
        diags.error(path, 0, 0, f"guide file name '{slug}' must use only a-z, 0-9 and '-'")
        return None
    return Guide(slug, f.text("title"), path, body, body_line, f.text("summary"), f.integer("order", 0))
