"""build_site(): load, compile Markdown, plan pages, render templates, write — in that order."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

from ..content.models import Project, Skill
from ..errors import CadreError, Diagnostic, Diagnostics
from ..exams.context import open_ledger
from ..i18n import Translator
from ..ledger.log import parse_time
from ..markdown import Links, MarkdownRenderer, Rendered, check_anchors
from ..project import load_project
from ..reports.build import report_pages, report_tables
from ..urls import href, output_file
from .guide import guide_context, render_guide, townships_with_cadres
from .output import write_site
from .page import Page
from .parallel import render_all
from .practice import practice_data, script_json
from .registry import read_registry, registry_pages
from .scripts import scripts
from .search import SearchDoc, build_index

# Reports built with no ledger yet are "as of" a moment before any certificate.
NO_LEDGER = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@dataclass
class Compiled:
    """Every Markdown source rendered to HTML, and the assets its links need."""

    docs: dict[Path, Rendered]
    links: Links
    practice: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class BuildResult:
    out: Path
    pages: int
    files: int
    warnings: tuple[Diagnostic, ...]


def skill_path(skill: Skill) -> str:
    return f"skills/{skill.id}/"


def compile_content(project: Project, diags: Diagnostics) -> Compiled:
    """Render every skill, lesson and guide; broken links and anchors become errors."""
    content = project.root / "content"
    pages: dict[Path, str] = {}
    bundles: dict[Path, str] = {}
    for skill in project.skills.values():
        pages[skill.source.resolve()] = skill_path(skill)
        if skill.bundle is not None:
            bundles[skill.bundle.resolve()] = skill_path(skill)
        for lesson in skill.lessons:
            pages[lesson.source.resolve()] = f"{skill_path(skill)}{lesson.slug}/"
    for guide in project.guides.values():
        pages[guide.source.resolve()] = f"guides/{guide.slug}/"
    links = Links(content.resolve(), pages, bundles)
    renderer = MarkdownRenderer(links, diags, unsafe_html=project.site.unsafe_html)
    docs: dict[Path, Rendered] = {}
    sources = [(s.source, s.body, s.body_line) for s in project.skills.values()]
    sources += [(lsn.source, lsn.body, lsn.body_line) for s in project.skills.values() for lsn in s.lessons]
    sources += [(g.source, g.body, g.body_line) for g in project.guides.values()]
    jobs = [(source.resolve(), body, line, pages[source.resolve()]) for source, body, line in sources]
    for job, rendered in zip(jobs, render_all(jobs, links, diags, renderer), strict=True):
        docs[job[0]] = rendered
    for skill in project.skills.values():
        if skill.bundle is not None:
            for asset in sorted(skill.bundle.resolve().rglob("*")):
                if asset.is_file() and asset.suffix != ".md" and not asset.name.startswith("."):
                    links.asset_url(asset)
    check_anchors(links, {p: d.ids for p, d in docs.items()}, diags)
    t = Translator(project.site.locale)
    practice = {
        sid: practice_data(project, bank, renderer, f"skills/{sid}/practice/", t)
        for sid, bank in project.banks.items()
        if bank.practice
    }
    return Compiled(docs, links, practice)


def plan_pages(project: Project, compiled: Compiled, t: Translator) -> list[Page]:
    """Return every page of the site, in a stable order."""
    cur = project.curriculum
    docs = compiled.docs
    progress = ("assets/progress.js",)
    pages: list[Page] = [Page("", "index.html", "", "home", description=t("home_motto"), scripts=progress)]
    for cat in cur.categories:
        pages.append(
            Page(
                f"categories/{cat.id}/", "category.html", cat.title, "skills",
                {"category": cat, "skills": project.skills_in(cat.id)},
                ((t("nav_home"), ""),), cat.summary, progress,
            )
        )
    for skill in project.skills.values():
        category = cur.category(skill.category)
        crumbs = ((t("nav_home"), ""), (category.title, f"categories/{category.id}/"))
        required_by = required_labels(project, skill.id, t)
        prerequisites = [project.skills[p] for p in skill.prerequisites]
        pages.append(
            Page(
                skill_path(skill), "skill.html", skill.title, "skills",
                {"skill": skill, "category": category, "doc": docs[skill.source.resolve()],
                 "required_by": required_by, "prerequisites": prerequisites,
                 "practice_count": len(compiled.practice.get(skill.id, {}).get("questions", []))},
                crumbs, skill.summary, progress,
            )
        )
        if skill.id in compiled.practice:
            data = compiled.practice[skill.id]
            pages.append(
                Page(
                    f"{skill_path(skill)}practice/", "practice.html", t("practice_title", skill=skill.title), "skills",
                    {"skill": skill, "data": data, "data_json": script_json(data)},
                    (*crumbs, (skill.title, skill_path(skill))), skill.summary, ("assets/practice.js",),
                )
            )
        chain = [(skill.title, skill_path(skill))] + [
            (lsn.title, f"{skill_path(skill)}{lsn.slug}/") for lsn in skill.lessons
        ]
        for i, lesson in enumerate(skill.lessons):
            pages.append(
                Page(
                    chain[i + 1][1], "lesson.html", lesson.title, "skills",
                    {"skill": skill, "lesson": lesson, "index": i, "doc": docs[lesson.source.resolve()],
                     "prev": chain[i], "next": chain[i + 2] if i + 2 < len(chain) else None},
                    (*crumbs, (skill.title, skill_path(skill))),
                    f"{skill.title} · {lesson.title}",
                )
            )
    pages.append(
        Page(
            "curriculum/", "curriculum.html", t("curriculum_title"), "curriculum",
            {
                "by_post": [(p, _skills(project, cur.required_posts.get(p, ()))) for p in project.posts],
                "by_township": [(tw, _skills(project, cur.required_townships.get(tw, ()))) for tw in project.townships],
            },
            ((t("nav_home"), ""),), t("curriculum_intro"),
        )
    )
    for kind, names in (("post", project.posts), ("township", project.townships)):
        for name in names:
            ids = cur.required_for(post=name) if kind == "post" else cur.required_for(township=name)
            why = {sid: t("why_all") for sid in cur.required_all}
            extra = cur.required_posts.get(name, ()) if kind == "post" else cur.required_townships.get(name, ())
            for sid in extra:
                why.setdefault(sid, t(f"why_{kind}"))
            skills = [(project.skills[sid], why[sid]) for sid in ids]
            cadres = [c for c in project.cadres if (c.post if kind == "post" else c.township) == name]
            pages.append(
                Page(
                    f"curriculum/{name}/", "plan.html", t(f"plan_{kind}_title", name=name), "curriculum",
                    {"heading": t(f"plan_{kind}_title", name=name), "intro": t(f"plan_{kind}_intro", name=name),
                     "skills": skills, "total_hours": sum(s.hours for s, _ in skills), "cadres": cadres,
                     "kind": kind, "name": name},
                    ((t("nav_home"), ""), (t("curriculum_title"), "curriculum/")),
                )
            )
    for guide in project.guides.values():
        pages.append(
            Page(
                f"guides/{guide.slug}/", "guide.html", guide.title, "guides",
                {"guide": guide, "doc": docs[guide.source.resolve()]},
                ((t("nav_home"), ""),), guide.summary,
            )
        )
    pages.append(Page("exams/", "exams.html", t("exams_title"), "exams", crumbs=((t("nav_home"), ""),),
                      scripts=("assets/exam.js",)))
    pages.append(Page("search/", "search.html", t("search_title"), "search", crumbs=((t("nav_home"), ""),),
                      scripts=("assets/search.js",)))
    pages.append(Page("404.html", "404.html", t("not_found_title"), ""))
    return pages


def _skills(project: Project, ids: tuple[str, ...]) -> list[Skill]:
    return [project.skills[i] for i in ids if i in project.skills]


def required_labels(project: Project, skill_id: str, t: Translator) -> list[str]:
    """Return who must learn a skill: every cadre, or the posts and townships that require it."""
    cur = project.curriculum
    if skill_id in cur.required_all:
        return [t("everyone")]
    posts = [p for p, ids in cur.required_posts.items() if skill_id in ids]
    townships = [tw for tw, ids in cur.required_townships.items() if skill_id in ids]
    return posts + townships


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def search_docs(project: Project, compiled: Compiled) -> list[SearchDoc]:
    """Return what search indexes: every skill, lesson and guide page, with its text."""
    docs = []
    for skill in project.skills.values():
        body = compiled.docs[skill.source.resolve()].text
        docs.append(SearchDoc(skill_path(skill), skill.title, f"{skill.summary}\n{body}"))
        for lesson in skill.lessons:
            text = compiled.docs[lesson.source.resolve()].text
            docs.append(SearchDoc(f"{skill_path(skill)}{lesson.slug}/", f"{lesson.title} · {skill.title}", text))
    for guide in project.guides.values():
        text = compiled.docs[guide.source.resolve()].text
        docs.append(SearchDoc(f"guides/{guide.slug}/", guide.title, f"{guide.summary}\n{text}"))
    return docs


def render_pages(project: Project, pages: list[Page], t: Translator, demo: bool = False) -> dict[str, bytes]:
    """Return the bytes of every page, keyed by its file path in the site."""
    env = _environment()
    cur = project.curriculum
    levels = {lv.id: lv.name for lv in cur.levels}
    guides = list(project.guides.values())
    elective_rule = t("electives_rule", n=cur.electives_min) if cur.electives_min else t("electives_free")
    common = {
        "site": project.site,
        "project": project,
        "curriculum": cur,
        "guides": guides,
        "t": t,
        "lang": project.site.locale,
        "levels_of": lambda s: [levels[lv] for lv in s.levels if lv in levels],
        "required_all": _skills(project, cur.required_all),
        "required_ids": set(cur.required_all),
        "required_json": script_json(
            {"all": list(cur.required_all), "posts": cur.required_posts, "townships": cur.required_townships}
        ),
        "elective_rule": elective_rule,
        "level_names": {lv.id: lv.name for lv in cur.levels},
        "demo": demo,
        "guide_townships": townships_with_cadres(project),
    }
    static = static_files()
    out: dict[str, bytes] = {}
    for page in pages:
        url: Callable[[str], str]
        if page.path == "404.html" and project.site.base_url:
            # A 404 page is served at any depth, so relative links cannot work there.
            url = functools.partial(_absolute, project.site.base_url)
        else:
            url = functools.partial(href, page.path)
        context = {
            **common,
            **page.context,
            "title": page.title,
            "section": page.section,
            "crumbs": page.crumbs,
            "scripts": page.scripts,
            "description": page.description,
            "url": url,
            # The 404 page is served at any depth: it carries its styles instead of linking them.
            "inline_css": static["assets/style.css"].decode("utf-8") if page.path == "404.html" else "",
        }
        html = env.get_template(page.template).render(context)
        out[output_file(page.path)] = html.encode("utf-8")
    return out


def _absolute(base: str, to: str) -> str:
    return base + quote(output_file(to), safe="/%")


def sitemap(project: Project, pages: list[Page], extra: Sequence[str] = ()) -> bytes:
    """Return sitemap.xml listing every page (absolute when site.yaml has a base_url)."""
    base = project.site.base_url
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path in [p.path for p in pages] + list(extra):
        if path == "404.html":
            continue
        lines.append(f"  <url><loc>{base}{quote(path)}</loc></url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def static_files() -> dict[str, bytes]:
    """Return the shared CSS and scripts shipped with the package, keyed by site path."""
    out: dict[str, bytes] = {}
    root = resources.files("generator").joinpath("static")
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.is_file() and entry.name.endswith(".css"):
            out[f"assets/{entry.name}"] = entry.read_bytes()
    return out


def check_project(root: Path | str) -> tuple[Project, Compiled, Diagnostics]:
    """Load, validate and compile the project without writing anything; raise on errors.

    Markdown is compiled even when loading found errors, so that broken links and anchors are
    reported in the same run (SPEC §9), but a link to a page whose own file could not be loaded
    is not reported again.
    """
    import re
    from urllib.parse import unquote, urlsplit

    not_a_page = re.compile(r"link '(.*)' points to a Markdown file that is not a page of the site")

    def links_to_unloaded(d: Diagnostic, unloaded: set[str]) -> bool:
        m = not_a_page.fullmatch(d.message)
        if m is None:
            return False
        target = ((diags.root / d.path).parent / unquote(urlsplit(m.group(1)).path)).resolve()
        if target.is_dir():
            target = target / "index.md"
        return diags.rel(target) in unloaded

    root = Path(root).resolve()
    diags = Diagnostics(root)
    project = load_project(root, diags)
    if diags.errors:
        unloaded = {d.path for d in diags.errors}
        found = Diagnostics(root)
        compile_content(project, found)  # a project with holes is kept out of the build state
        diags.items += [d for d in found.items if not links_to_unloaded(d, unloaded)]
        diags.raise_if_errors()
    compiled = compile_content(project, diags)
    if not project.site.base_url:
        diags.warning(root / "content/site.yaml", 0, 0, "no base_url: sitemap.xml will list relative addresses")
    diags.raise_if_errors()
    return project, compiled, diags


BUILD_STAGES = ("check", "pages", "registry", "reports", "guides", "search", "write")


def build_site(
    root: Path | str, out: Path | str | None = None, *, demo: bool = False, ledger: str | None = None,
    progress: Callable[[str], None] = lambda stage: None,
) -> BuildResult:
    """Build the project in `root` into `out` (default `root/site`); return what was written.

    The registry is published from the ledger (`ledger`, else $CADRE_LEDGER, else
    data/ledger.sqlite3); with `demo`, from the demonstration ledger, made first if missing.
    """
    progress("check")
    project, compiled, diags = check_project(root)
    target = Path(out).resolve() if out else project.root / "site"
    if target.exists() and not target.is_dir():
        raise CadreError(f"{target} exists and is not a folder; remove it or choose another output")
    if project.root.is_relative_to(target) or (project.root / "content").resolve().is_relative_to(target):
        raise CadreError(f"refusing to build into {target}: it holds the project itself")
    t = Translator(project.site.locale)
    progress("pages")
    pages = plan_pages(project, compiled, t)
    registry = None
    if demo:
        from ..exams.demo import ensure_demo_ledger

        ensure_demo_ledger(project)
    progress("registry")
    log = open_ledger(project, ledger, demo)
    if log is not None:
        registry = read_registry(log)
    as_of = parse_time(registry.sth["timestamp"]) if registry and registry.sth else None
    certificates = registry.certificates if registry else []
    progress("reports")
    tables = report_tables(project, certificates, log.db if log else None, as_of or NO_LEDGER, t)
    if log is not None:
        log.db.close()
    registry_page_list, registry_files = registry_pages(project, registry, t)
    report_page_list, report_files = report_pages(project, tables, as_of, t)
    pages[-1:-1] = registry_page_list + report_page_list
    files = render_pages(project, pages, t, demo)
    files.update(registry_files)
    files.update(report_files)
    progress("guides")
    guide_paths = []
    for township in townships_with_cadres(project):
        path = f"guide/{township}/"
        context = guide_context(project, township, certificates, as_of, t)
        html = render_guide(project, context, t, home=href(path, ""), demo=demo)
        files[output_file(path)] = html.encode("utf-8")
        guide_paths.append(path)
    files.update(static_files())
    files.update(scripts(project.site.locale))
    files["sitemap.xml"] = sitemap(project, pages, guide_paths)
    progress("search")
    files.update(build_index(search_docs(project, compiled)))
    copies = {url: path for path, url in compiled.links.assets.items()}
    progress("write")
    write_site(target, files, copies)
    return BuildResult(target, len(pages), len(files) + len(copies), tuple(diags.warnings))

