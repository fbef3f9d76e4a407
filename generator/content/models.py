"""Frozen, typed objects for everything a project holds, related by id."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..quiz.bank import Bank


@dataclass(frozen=True)
class SiteConfig:
    title: str
    locale: str = "zh-CN"
    base_url: str = ""
    organisation: str = ""
    hotline: str = ""
    ledger_prefix: str = "CERT"
    unsafe_html: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Category:
    id: str
    title: str
    summary: str = ""


@dataclass(frozen=True)
class Level:
    id: int
    name: str
    pass_mark: int
    issuer: str
    validity_years: int


DEFAULT_LEVELS = (
    Level(1, "初级", 60, "乡镇", 3),
    Level(2, "中级", 75, "县", 3),
    Level(3, "高级", 85, "县", 3),
)


@dataclass(frozen=True)
class Curriculum:
    categories: tuple[Category, ...]
    levels: tuple[Level, ...] = DEFAULT_LEVELS
    required_all: tuple[str, ...] = ()
    required_posts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    required_townships: dict[str, tuple[str, ...]] = field(default_factory=dict)
    electives_min: int = 0
    min_certificates: int = 1

    def category(self, category_id: str) -> Category:
        return next(c for c in self.categories if c.id == category_id)

    def level(self, level_id: int) -> Level:
        return next(lv for lv in self.levels if lv.id == level_id)

    def required_for(self, post: str = "", township: str = "") -> tuple[str, ...]:
        """Return the required skill ids of a cadre with this post and township, in order."""
        ids = list(self.required_all)
        ids += self.required_posts.get(post, ())
        ids += self.required_townships.get(township, ())
        return tuple(dict.fromkeys(ids))


# The body of a skill, lesson or guide remembered by the build cache without its text: the text is
# read from the file again if (and only if) the document must be rendered again.
UNREAD = "\x00cadre: body not loaded\x00"


@dataclass(frozen=True)
class Lesson:
    slug: str
    title: str
    source: Path
    body: str
    body_line: int


@dataclass(frozen=True)
class Skill:
    id: str
    title: str
    category: str
    source: Path
    body: str
    body_line: int
    summary: str = ""
    hours: int = 0
    levels: tuple[int, ...] = ()
    prerequisites: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    trainers: tuple[str, ...] = ()
    updated: dt.date | None = None
    bundle: Path | None = None
    lessons: tuple[Lesson, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str
    source: Path
    body: str
    body_line: int
    summary: str = ""
    order: int = 0


@dataclass(frozen=True)
class Cadre:
    id: str
    name: str
    township: str
    post: str = ""
    village: str = ""
    duties: str = ""
    phone: str = ""
    electives: tuple[str, ...] = ()


@dataclass(frozen=True)
class Service:
    id: str
    title: str
    category: str
    skills: tuple[str, ...] = ()
    procedure: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    time_limit_days: int | None = None
    fee: str = "0"
    where: str = ""
    hotline: str = ""

    @property
    def free(self) -> bool:
        return self.fee.strip() in {"", "0", "0.0", "0.00"}


@dataclass(frozen=True)
class Project:
    """A whole loaded, validated project folder."""

    root: Path
    site: SiteConfig
    curriculum: Curriculum
    skills: dict[str, Skill]
    guides: dict[str, Guide]
    cadres: tuple[Cadre, ...]
    services: tuple[Service, ...]
    banks: dict[str, Bank] = field(default_factory=dict)

    @property
    def townships(self) -> tuple[str, ...]:
        """Return every township named in the roster or the curriculum, in first-seen order."""
        names = [c.township for c in self.cadres] + list(self.curriculum.required_townships)
        return tuple(dict.fromkeys(n for n in names if n))

    @property
    def posts(self) -> tuple[str, ...]:
        names = list(self.curriculum.required_posts) + [c.post for c in self.cadres]
        return tuple(dict.fromkeys(n for n in names if n))

    def skills_in(self, category_id: str) -> list[Skill]:
        return [s for s in self.skills.values() if s.category == category_id]
