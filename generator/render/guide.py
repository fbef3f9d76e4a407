"""The cadre service guide (干部技能服务指南): one print-ready booklet per township.

Cover, how to use it, the cadre directory by village (then the township office) with each cadre's
certified skills and proficiency from the ledger, a QR code to call them, the public service items
and the required-skill legend. The same HTML is the site's guide/<township>/ page and the source of
`cadre guide --pdf` (WeasyPrint), so what is printed is what the site shows.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

import jinja2
import segno

from ..content.models import Cadre, Project
from ..i18n import Translator
from ..ledger.log import Certificate, proficiency

PAPERS = {"A5": "A5", "A4": "A4"}
STARS = {1: "★☆☆", 2: "★★☆", 3: "★★★"}


@dataclass(frozen=True)
class Listed:
    """One cadre as the guide prints them."""

    cadre: Cadre
    skills: tuple[tuple[str, int, str], ...]  # (skill title, level, level name), highest level first
    tel: str
    qr: str


def tel_digits(phone: str) -> str:
    return re.sub(r"[^\d+]", "", phone)


def qr_svg(data: str) -> str:
    """Return an inline SVG QR code (error correction M) sized by the stylesheet."""
    # omitsize gives a viewBox instead of a pixel size, so CSS sets the printed size (20 mm); the
    # quiet zone is the standard four modules, which scanners need.
    return str(segno.make(data, error="m", micro=False).svg_inline(
        scale=1, border=4, dark="#000", light="#fff", omitsize=True, svgclass="qr", lineclass=None,
    ))


def townships_with_cadres(project: Project) -> list[str]:
    """Return the townships that get a guide: those with at least one cadre in the roster."""
    return list(dict.fromkeys(c.township for c in project.cadres if c.township))


def guide_context(
    project: Project, township: str, certificates: list[Certificate], as_of: dt.datetime | None, t: Translator,
    qr: Callable[[str], str] = qr_svg,
) -> dict[str, Any]:
    """Return everything the guide template needs for one township (`qr` draws a QR code)."""
    levels = {lv.id: lv.name for lv in project.curriculum.levels}
    best = proficiency(certificates, as_of) if as_of else {}
    groups: dict[str, list[Listed]] = {}
    office: list[Listed] = []
    for cadre in project.cadres:
        if cadre.township != township:
            continue
        held = sorted(
            ((project.skills[s].title if s in project.skills else s, lv, levels.get(lv, str(lv)))
             for (cid, s), lv in best.items() if cid == cadre.id),
            key=lambda x: (-x[1], x[0]),
        )
        tel = tel_digits(cadre.phone)
        listed = Listed(cadre, tuple(held), tel, qr(f"tel:{tel}") if tel else "")
        (groups.setdefault(cadre.village, []) if cadre.village else office).append(listed)
    sections = [(village, people) for village, people in groups.items()]
    if office:
        sections.append((t("guide_office", township=township), office))
    cur = project.curriculum
    required = [(project.skills[s], t("why_all")) for s in cur.required_all if s in project.skills]
    required += [(project.skills[s], t("why_township")) for s in cur.required_townships.get(township, ()) if s in project.skills]
    by_post = [(post, [project.skills[s] for s in ids if s in project.skills]) for post, ids in cur.required_posts.items()]
    return {
        "township": township,
        "sections": sections,
        "count": sum(len(p) for _, p in sections),
        "services": project.services,
        "required": required,
        "by_post": by_post,
        "levels": [(lv.id, lv.name, STARS.get(lv.id, "★" * lv.id)) for lv in cur.levels],
        "stars": STARS,
        "edition": as_of.date().isoformat() if as_of else "",
    }


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"), autoescape=True, undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True, bytecode_cache=jinja2.FileSystemBytecodeCache(),
    )


def guide_css(paper: str) -> str:
    css = resources.files("generator").joinpath("static/guide.css").read_text("utf-8")
    return css.replace("size: A5;", f"size: {PAPERS[paper]};")


def render_guide(project: Project, context: dict[str, Any], t: Translator, paper: str = "A5", home: str = "",
                 demo: bool = False) -> str:
    """Return the guide's HTML: a standalone, print-ready page (`home` links back to the site)."""
    return _environment().get_template("service_guide.html").render(
        site=project.site, t=t, lang=project.site.locale, css=guide_css(paper), home=home, demo=demo, **context,
    )
