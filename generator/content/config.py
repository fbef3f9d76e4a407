"""site.yaml and curriculum.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Diagnostics
from ..yamlloc import Pos, load_yaml_file
from .models import DEFAULT_LEVELS, Category, Curriculum, Level, SiteConfig
from .schema import Fields

LOCALES = ("zh-CN", "en")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_BAD_NAME = re.compile(r"[/\\<>:\"|?*#%\x00-\x1f]")


def name_problem(name: str) -> str | None:
    """Say why a post or township name cannot be a folder of the site, or return None."""
    if len(name.encode()) > 255:
        return (f"'{name}' is too long to be a post or township name (it becomes a web address): "
                f"{len(name.encode())} bytes, at most 255")
    if name.startswith(".") or _BAD_NAME.search(name):
        return (
            f"'{name}' cannot be used as a post or township name (it becomes a web address): "
            "avoid / \\ : * ? \" < > | # % and a leading '.'"
        )
    return None


def load_site(path: Path, diags: Diagnostics) -> SiteConfig:
    """Return the site settings; a missing file is an error, bad keys are errors."""
    if not path.is_file():
        diags.error(path, 0, 0, "missing site settings file (it needs at least 'title')")
        return SiteConfig(title="cadre")
    before = diags.count()
    data = load_yaml_file(path, diags)
    if data is None and diags.count() > before:
        return SiteConfig(title="cadre")
    f = Fields(
        diags, path, data, "site.yaml",
        ("title", "locale", "base_url", "organisation", "hotline", "ledger_prefix", "unsafe_html"),
        required=("title",),
        at=Pos(1, 1),
    )
    locale = f.text("locale", "zh-CN")
    if locale not in LOCALES:
        f.fail("locale", f"locale must be one of {', '.join(LOCALES)}, not '{locale}'")
        locale = "zh-CN"
    base_url = f.text("base_url")
    if base_url and not re.match(r"^https?://[^/\s]+", base_url):
        f.fail("base_url", f"base_url must start with http:// or https://, not '{base_url}'")
        base_url = ""
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    prefix = f.text("ledger_prefix", "CERT")
    if not re.match(r"^[A-Z0-9]{1,12}$", prefix):
        f.fail("ledger_prefix", f"ledger_prefix must be 1–12 capital letters or digits, not '{prefix}'")
        prefix = "CERT"
    extra: dict[str, Any] = dict(f.mapping("extra") or {})
    unsafe = f.data.get("unsafe_html", False)
    if not isinstance(unsafe, bool):
        f.fail("unsafe_html", f"unsafe_html must be true or false, not {unsafe!r}")
        unsafe = False
    return SiteConfig(
        title=f.text("title", "cadre"),
        locale=locale,
        base_url=base_url,
        organisation=f.text("organisation"),
        hotline=f.text("hotline"),
        ledger_prefix=prefix,
        unsafe_html=unsafe,
        extra=dict(extra),
    )


@dataclass(frozen=True)
class CurriculumRefs:
    """What other files are checked against: the skill ids the curriculum names, with where, and
    the ids of its categories, None when they could not all be read (a skill's category is then
    not reported unknown: the curriculum's own error says what is wrong)."""

    skills: tuple[tuple[str, Pos], ...]
    categories: frozenset[str] | None


def load_curriculum(path: Path, diags: Diagnostics) -> tuple[Curriculum, CurriculumRefs]:
    """Return the curriculum and what it names and defines (checked against the other files later).

    Levels that could not all be read come back empty, so that nothing is checked against them.
    """
    refs: list[tuple[str, Pos]] = []
    unread = Curriculum(categories=(), levels=()), CurriculumRefs((), None)
    if not path.is_file():
        diags.error(path, 0, 0, "missing curriculum file (it needs at least 'categories')")
        return unread
    before = diags.count()
    data = load_yaml_file(path, diags)
    if data is None and diags.count() > before:
        return unread
    f = Fields(
        diags, path, data, "curriculum.yaml",
        ("categories", "levels", "required", "electives", "min_certificates"),
        required=("categories",),
        at=Pos(1, 1),
    )
    categories: list[Category] = []
    seen: dict[str, Pos] = {}
    raw_categories = f.sequence("categories")
    # Every id written, even one reported as malformed, so references to it are not reported too.
    category_ids: set[str] | None = set() if raw_categories is not None else None
    for i, item in enumerate(raw_categories or []):
        at = f.data["categories"].item_pos[i]
        cf = Fields(diags, path, item, "a category", ("id", "title", "summary"), ("id", "title"), at=at)
        cid = cf.text("id")
        if not cid:  # a category without a readable id: which categories there are is not known
            category_ids = None
        elif category_ids is not None:
            category_ids.add(cid)
        if cid and not ID_RE.match(cid):
            cf.fail("id", f"category id '{cid}' must use only a-z, 0-9 and '-'")
        elif cid in seen:
            cf.fail("id", f"duplicate category id '{cid}' (first defined at line {seen[cid].line})")
        elif cid:
            seen[cid] = cf.at("id")
            categories.append(Category(cid, cf.text("title"), cf.text("summary")))

    raw_levels = f.sequence("levels")
    # Written levels replace the default ones; levels written wrongly leave none to check against.
    levels = [] if f.has("levels") else list(DEFAULT_LEVELS)
    if raw_levels is not None and not raw_levels:
        f.fail("levels", "'levels' must list at least one level")
    if raw_levels is not None:
        level_ids: set[int] = set()
        lost = False
        for i, item in enumerate(raw_levels):
            at = raw_levels.item_pos[i]
            lf = Fields(
                diags, path, item, "a level",
                ("id", "name", "pass_mark", "issuer", "validity_years"),
                ("id", "name", "pass_mark", "issuer", "validity_years"),
                at=at,
            )
            lid = lf.integer("id", minimum=1)
            mark = lf.integer("pass_mark", minimum=0)
            if mark > 100:
                lf.fail("pass_mark", f"pass_mark is a percentage from 0 to 100, not {mark}")
            if lid in level_ids:
                lf.fail("id", f"duplicate level id {lid}")
            elif lid:
                level_ids.add(lid)
                levels.append(Level(lid, lf.text("name"), mark, lf.text("issuer"), lf.integer("validity_years", 3, minimum=1)))
            else:
                lost = True
        if lost:  # a level without a readable id: which levels there are is not known
            levels = []

    required_all: tuple[str, ...] = ()
    posts: dict[str, tuple[str, ...]] = {}
    townships: dict[str, tuple[str, ...]] = {}
    req = f.mapping("required")
    if req is not None:
        rf = Fields(diags, path, req, "'required'", ("all", "posts", "townships"))
        required_all = _ids(rf, "all", refs)
        for key, target in (("posts", posts), ("townships", townships)):
            group = rf.mapping(key)
            if group is None:
                continue
            gf = Fields(diags, path, group, f"'required.{key}'", list(group))
            for name in group:
                if name == "extra":
                    continue
                problem = name_problem(name)
                if problem:
                    p = group.key_pos[name]
                    diags.error(path, p.line, p.column, problem)
                target[name] = _ids(gf, name, refs)

    electives_min = 0
    el = f.mapping("electives")
    if el is not None:
        ef = Fields(diags, path, el, "'electives'", ("min",))
        electives_min = ef.integer("min", 0, minimum=0)
    return (
        Curriculum(
            categories=tuple(categories),
            levels=tuple(sorted(levels, key=lambda lv: lv.id)),
            required_all=required_all,
            required_posts=posts,
            required_townships=townships,
            electives_min=electives_min,
            min_certificates=f.integer("min_certificates", 1, minimum=0),
        ),
        CurriculumRefs(tuple(refs), frozenset(category_ids) if category_ids is not None else None),
    )


def _ids(f: Fields, key: str, refs: list[tuple[str, Pos]]) -> tuple[str, ...]:
    items = f.text_list(key)
    refs.extend(items)
    return tuple(dict.fromkeys(sid for sid, _ in items))
