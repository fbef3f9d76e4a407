"""build_site(): load, compile Markdown, plan pages, render templates, write — in that order."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import datetime as dt
import functools
import os
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import jinja2

from ..cache import BuildState, Fingerprinter, digest, template_closure
from ..content.models import UNREAD, Guide, Project, Skill
from ..content.pages import read_page
from ..errors import CadreError, Diagnostic, Diagnostics
from ..exams.context import open_ledger
from ..i18n import Translator
from ..ledger.log import parse_time
from ..markdown import AnchorRef, Links, MarkdownRenderer, Rendered, check_anchors
from ..project import load_project
from ..quiz.bank import Bank, has_practice
from ..reports.build import report_pages, report_tables
from ..urls import href, output_file
from .guide import guide_context, qr_svg, render_guide, tel_digits, townships_with_cadres
from .output import NewSite, update_site
from .page import Page
from .parallel import Job, map_all, render_all
from .practice import practice_data, script_json
from .registry import read_registry, registry_pages
from .scripts import scripts
from .search import SearchDoc, build_index

# Reports built with no ledger yet are "as of" a moment before any certificate.
NO_LEDGER = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


# What rendering a document found: anchors to check, assets to copy, located problems.
Found = tuple[list[AnchorRef], dict[Path, str], Sequence[Diagnostic]]


@dataclass
class Compiled:
    """Every Markdown source rendered to HTML, and the assets its links need."""

    docs: dict[Path, Any]  # Rendered, or LazyDoc when reused from the cache
    links: Links
    # each practice page: how many questions, and its data as the page carries it (JSON)
    practice: dict[str, int] = field(default_factory=dict)
    practice_json: dict[str, str] = field(default_factory=dict)
    # What rendering each document found (anchors, assets, diagnostics), in document order, and what
    # the targets of links were when it was rendered: an in-process rebuild redoes only edited ones.
    found_by: dict[Path, Found] = field(default_factory=dict)
    links_key: bytes = b""
    # where the project's own diagnostics end and those after the documents' (practice pages') start
    diags_after: int = 0


@dataclass(frozen=True)
class BuildResult:
    out: Path
    pages: int
    files: int
    warnings: tuple[Diagnostic, ...]


@functools.lru_cache(maxsize=1 << 16)
def _real(path: Path) -> Path:
    """Path.resolve(), faster: each folder is resolved once, and a file only if it is a symbolic link."""
    if path.is_symlink() or path.name in ("", ".", ".."):
        return path.resolve()
    return _real_folder(path.parent) / path.name


@functools.lru_cache(maxsize=1 << 14)
def _real_folder(path: Path) -> Path:
    return path.resolve()


def skill_path(skill: Skill) -> str:
    return f"skills/{skill.id}/"


def compile_content(project: Project, diags: Diagnostics, state: BuildState | None = None) -> Compiled:
    """Render every skill, lesson and guide; broken links and anchors become errors.

    With a build `state`, a document whose text, place and link targets are unchanged is not
    rendered again; nor is a practice page whose bank is unchanged.
    """
    content = project.root / "content"
    pages: dict[Path, str] = {}
    bundles: dict[Path, str] = {}
    for skill in project.skills.values():
        pages[_real(skill.source)] = skill_path(skill)
        if skill.bundle is not None:
            bundles[_real(skill.bundle)] = skill_path(skill)
        for lesson in skill.lessons:
            pages[_real(lesson.source)] = f"{skill_path(skill)}{lesson.slug}/"
    for guide in project.guides.values():
        pages[_real(guide.source)] = f"guides/{guide.slug}/"
    links = Links(content.resolve(), pages, bundles)
    unsafe = project.site.unsafe_html
    docs: dict[Path, Rendered | LazyDoc] = {}
    sources = [(s.source, s.body, s.body_line) for s in project.skills.values()]
    sources += [(lsn.source, lsn.body, lsn.body_line) for s in project.skills.values() for lsn in s.lessons]
    sources += [(g.source, g.body, g.body_line) for g in project.guides.values()]
    jobs = [(_real(source), body, line, pages[_real(source)]) for source, body, line in sources]
    # What a link in any document may resolve to: the pages, and every file under content/.
    links_key = digest(repr((sorted(pages.items()), sorted(bundles.items()), _content_files(content), unsafe)))
    found_by: dict[Path, Found] = {}
    todo = []
    for job in jobs:
        # A document is its file (the text of a cached skill is not even loaded): the file's hash.
        key = (links_key, job[2], job[3], state.file_digest(job[0]) if state else b"")
        hit = state.memo.get(("doc", str(job[0]))) if state else None
        if state is not None and hit is not None and hit[0] == key:
            state.used.add(("doc", str(job[0])))
            ids, anchors, assets, found = hit[1]
            docs[job[0]] = LazyDoc(functools.partial(_stored_doc, state, job, key, links, unsafe), ids)
            state.remember(docs[job[0]], ("doc", key))
            found_by[job[0]] = (anchors, assets, found)
        else:
            todo.append((job, key))
    for (job, key), (rendered, anchors, assets, found) in zip(
        todo, render_all([_with_text(j, diags) for j, _ in todo], links, diags, unsafe), strict=True
    ):
        docs[job[0]] = rendered
        found_by[job[0]] = (anchors, assets, found)
        if state is not None and not any(d.severity == "error" for d in found):
            state.memo[("doc", str(job[0]))] = (key, (rendered.ids, anchors, assets, found), ())
            state.used.add(("doc", str(job[0])))
            state.store("doc", str(job[0]), key, rendered)
            state.remember(rendered, ("doc", key))
    # In document order, whichever were reused: a warm build reports what a cold one does, in order.
    for job in jobs:
        _merge(links, diags, *found_by[job[0]])
    docs = {job[0]: docs[job[0]] for job in jobs}
    for skill in project.skills.values():
        if skill.bundle is not None:
            for asset in sorted(_real(skill.bundle).rglob("*")):
                if asset.is_file() and asset.suffix != ".md" and not asset.name.startswith("."):
                    links.asset_url(asset)
    check_anchors(links, {p: d.ids for p, d in docs.items()}, diags)
    diags_after = len(diags.items)
    t = Translator(project.site.locale)
    renderer = MarkdownRenderer(links, diags, unsafe_html=unsafe)
    practice = {}
    practice_json: dict[str, str] = {}
    for sid, bank in project.banks.items():
        if not has_practice(bank):
            continue
        url = f"skills/{sid}/practice/"
        if state is None:
            data = practice_data(project, bank, renderer, url, t)
            practice[sid], practice_json[sid] = len(data["questions"]), script_json(data)
            continue
        bank_key = (links_key, project.site.title, project.site.locale, state.file_digest(bank.path), bank.skill)
        count, anchors, assets, as_json = state.memo_call(
            "practice", sid, bank_key, diags, functools.partial(_practice, project, bank, renderer, url, t, links))
        links.anchors += anchors
        for path, asset_url in assets.items():
            links.assets.setdefault(path, asset_url)
        practice[sid] = count
        practice_json[sid] = as_json
    found_by = {job[0]: found_by[job[0]] for job in jobs}
    return Compiled(docs, links, practice, practice_json, found_by, links_key, diags_after)


class LazyDoc:
    """A document rendered by an earlier build: its HTML and text are read from the cache when needed."""

    __slots__ = ("_load", "_value", "ids")
    _value: Rendered | None

    def __init__(self, load: Callable[[], Rendered], ids: frozenset[str]) -> None:
        self._load, self._value, self.ids = load, None, ids

    def __getattr__(self, name: str) -> Any:
        if self._value is None:
            self._value = self._load()
        return getattr(self._value, name)


def _with_text(job: Job, diags: Diagnostics) -> Job:
    """Return the job with its Markdown text, read from its file if the cache did not keep it."""
    if job[1] != UNREAD:
        return job
    page = read_page(job[0], diags)
    return (job[0], page[1] if page else "", job[2], job[3])


def _stored_doc(state: BuildState, job: Job, key: Any, links: Links, unsafe: bool) -> Rendered:
    """Return a document from the cache, or render it again if its entry is gone."""
    found = state.fetch("doc", str(job[0]), key)
    if isinstance(found, Rendered):
        return found
    scratch = Diagnostics(links.content)
    return render_all([_with_text(job, scratch)], Links(links.content, links.pages, links.bundles), scratch, unsafe)[0][0]


def _merge(links: Links, diags: Diagnostics, anchors: list[AnchorRef], assets: dict[Path, str],
           found: Sequence[Diagnostic]) -> None:
    links.anchors += anchors
    for path, url in assets.items():
        links.assets.setdefault(path, url)
    diags.items += found


def _practice(project: Project, bank: Bank, renderer: MarkdownRenderer, url: str, t: Translator,
              links: Links) -> tuple[int, list[AnchorRef], dict[Path, str], str]:
    """Return a practice page's question count, the anchors and assets its questions link to, and its data as JSON."""
    anchors, assets = len(links.anchors), dict(links.assets)
    data = practice_data(project, bank, renderer, url, t)
    new_assets = {p: u for p, u in links.assets.items() if p not in assets}
    return len(data["questions"]), links.anchors[anchors:], new_assets, script_json(data)


def _content_files(content: Path) -> list[str]:
    found = []
    for folder, dirs, files in os.walk(content):
        dirs.sort()
        found += [os.path.join(folder, f) for f in sorted(files)]
    return found


def plan_pages(project: Project, compiled: Compiled, t: Translator) -> list[Page]:
    """Return every page of the site, in a stable order."""
    cur = project.curriculum
    progress = ("assets/progress.js",)
    pages: list[Page] = [Page("", "index.html", "", "home", description=t("home_motto"), scripts=progress)]
    labels = required_labels(project, t)
    for cat in cur.categories:
        pages.append(
            Page(
                f"categories/{cat.id}/", "category.html", cat.title, "skills",
                {"category": cat, "skills": project.skills_in(cat.id)},
                ((t("nav_home"), ""),), cat.summary, progress,
            )
        )
    for skill in project.skills.values():
        pages += skill_pages(project, compiled, skill, labels, t)
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
        pages.append(guide_page(compiled, guide, t))
    pages.append(Page("exams/", "exams.html", t("exams_title"), "exams", crumbs=((t("nav_home"), ""),),
                      scripts=("assets/exam.js",)))
    pages.append(Page("search/", "search.html", t("search_title"), "search", crumbs=((t("nav_home"), ""),),
                      scripts=("assets/search.js",)))
    pages.append(Page("404.html", "404.html", t("not_found_title"), ""))
    return pages


def skill_pages(project: Project, compiled: Compiled, skill: Skill, labels: dict[str, list[str]],
                t: Translator) -> list[Page]:
    """Return a skill's pages: the skill, its practice page if it has one, and its lessons."""
    cur = project.curriculum
    docs = compiled.docs
    progress = ("assets/progress.js",)
    pages: list[Page] = []
    category = cur.category(skill.category)
    crumbs = ((t("nav_home"), ""), (category.title, f"categories/{category.id}/"))
    required_by = labels.get(skill.id, [])
    prerequisites = [project.skills[p] for p in skill.prerequisites]
    pages.append(
        Page(
            skill_path(skill), "skill.html", skill.title, "skills",
            {"skill": skill, "category": category, "doc": docs[_real(skill.source)],
             "required_by": required_by, "prerequisites": prerequisites,
             "practice_count": compiled.practice.get(skill.id, 0)},
            crumbs, skill.summary, progress,
        )
    )
    if skill.id in compiled.practice:
        pages.append(
            Page(
                f"{skill_path(skill)}practice/", "practice.html", t("practice_title", skill=skill.title), "skills",
                {"skill": skill, "count": compiled.practice[skill.id], "data_json": compiled.practice_json[skill.id]},
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
                {"skill": skill, "lesson": lesson, "index": i, "doc": docs[_real(lesson.source)],
                 "prev": chain[i], "next": chain[i + 2] if i + 2 < len(chain) else None},
                (*crumbs, (skill.title, skill_path(skill))),
                f"{skill.title} · {lesson.title}",
            )
        )
    return pages


def guide_page(compiled: Compiled, guide: Guide, t: Translator) -> Page:
    return Page(
        f"guides/{guide.slug}/", "guide.html", guide.title, "guides",
        {"guide": guide, "doc": compiled.docs[_real(guide.source)]},
        ((t("nav_home"), ""),), guide.summary,
    )


def _skills(project: Project, ids: tuple[str, ...]) -> list[Skill]:
    return [project.skills[i] for i in ids if i in project.skills]


def required_labels(project: Project, t: Translator) -> dict[str, list[str]]:
    """Return who must learn each required skill: every cadre, or the posts and townships that require it."""
    cur = project.curriculum
    labels: dict[str, list[str]] = {}
    for name, ids in [*cur.required_posts.items(), *cur.required_townships.items()]:
        for sid in dict.fromkeys(ids):
            labels.setdefault(sid, []).append(name)
    for sid in cur.required_all:
        labels[sid] = [t("everyone")]
    return labels


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    # One environment per process, so rebuilds in `serve --watch` reuse compiled templates; a new
    # process reads them compiled from the bytecode cache (checked against the template's source).
    return jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        bytecode_cache=jinja2.FileSystemBytecodeCache(),
    )


def search_docs(project: Project, compiled: Compiled, known: dict[int, tuple[Any, Any]] | None = None,
                eager: bool = False) -> list[SearchDoc]:
    """Return what search indexes: every skill, lesson and guide page, with its text."""
    fp = Fingerprinter(known)

    def doc(path: Path, head: str, url: str, title: str) -> SearchDoc:
        # The text is read only if the index needs it: not when the document is unchanged.
        rendered = compiled.docs[path]
        if known is None:
            return SearchDoc(url, title, head + rendered.text)
        if eager:  # the text now, so the rendered document can be let go before indexing
            return SearchDoc(url, title, head + rendered.text, fp((head, rendered)))
        return SearchDoc(url, title, lambda: head + rendered.text, fp((head, rendered)))

    return [doc(*entry) for entry in search_entries(project)]


def search_entries(project: Project) -> list[tuple[Path, str, str, str]]:
    """Return (source, text before the document's, page, title) of every page search indexes, in order."""
    entries = []
    for skill in project.skills.values():
        entries.append((_real(skill.source), f"{skill.summary}\n", skill_path(skill), skill.title))
        for lesson in skill.lessons:
            entries.append((_real(lesson.source), "", f"{skill_path(skill)}{lesson.slug}/", f"{lesson.title} · {skill.title}"))
    for guide in project.guides.values():
        entries.append((_real(guide.source), f"{guide.summary}\n", f"guides/{guide.slug}/", guide.title))
    return entries


# Data every template may use. A page is rendered again when the data its templates name changes;
# `project` is everything at once, so pages whose templates name it are always rendered again.
_VOLATILE = frozenset({"project"})


def render_pages(project: Project, pages: list[Page], t: Translator, demo: bool = False,
                 previous: dict[str, tuple[bytes, bytes]] | None = None,
                 fingerprints: dict[str, tuple[bytes, bytes]] | None = None,
                 known: dict[int, tuple[Any, Any]] | None = None,
                 sink: Callable[[str, bytes], None] | None = None) -> dict[str, bytes | None]:
    """Return the bytes of every page, keyed by its file path in the site.

    With the `previous` build's fingerprints (file path -> (fingerprint, digest)), a page whose
    template and data are unchanged is not rendered: its value is None, meaning "the file written
    last time is still right". `fingerprints` receives every page's (fingerprint, digest). With a
    `sink`, each page is handed to it as soon as it is rendered, and its value is None too.
    """
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
    fp = Fingerprinter(known)
    # What the helpers stand for, so that changing it changes the fingerprint.
    standins: dict[str, Any] = {"levels_of": cur.levels, "t": (t.locale, t.messages)}
    common_fp: dict[str, bytes] = {}
    templates: dict[str, tuple[bytes, tuple[str, ...], bool]] = {}

    def about(name: str) -> tuple[bytes, tuple[str, ...], bool]:
        """Return a template's digest (with what it includes), the common names it uses, and whether it is volatile."""
        if name not in templates:
            names = template_closure(lambda n: env.loader.get_source(env, n)[0], name)  # type: ignore[union-attr]
            text = "\0".join(env.loader.get_source(env, n)[0] for n in sorted(names))  # type: ignore[union-attr]
            used = tuple(k for k in common if re.search(rf"\b{k}\b", text))
            templates[name] = (digest(text), used, bool(_VOLATILE & set(used)))
        return templates[name]

    out: dict[str, bytes | None] = {}
    for page in pages:
        file = output_file(page.path)
        template, used, volatile = about(page.template)
        for key in used:
            if key not in common_fp and key not in _VOLATILE:
                common_fp[key] = fp(standins.get(key, common[key]))
        stamp = digest(b"".join([
            template, digest(repr((page.path, page.title, page.section, page.crumbs, page.description, page.scripts,
                                   project.site.base_url))),
            fp(page.context), *(common_fp[k] for k in used if k not in _VOLATILE),
            digest(static["assets/style.css"]) if page.path == "404.html" else b"",
        ]))
        old = previous.get(file) if previous else None
        if old is not None and old[0] == stamp and not volatile:
            out[file] = None
            if fingerprints is not None:
                fingerprints[file] = old
            continue
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
        data = env.get_template(page.template).render(context).encode("utf-8")
        if fingerprints is not None:
            fingerprints[file] = (stamp, digest(data))
        if sink is not None:
            sink(file, data)  # written already: None below stands for it
            out[file] = None
        else:
            out[file] = data
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


def check_project(root: Path | str, state: BuildState | None = None) -> tuple[Project, Compiled, Diagnostics]:
    """Load, validate and compile the project without writing anything; raise on errors.

    Markdown is compiled even when loading found errors, so that broken links and anchors are
    reported in the same run (SPEC §9), but a link to a page whose own file could not be loaded
    is not reported again.
    """
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
    project = load_project(root, diags, state)
    if diags.errors:
        unloaded = {d.path for d in diags.errors}
        found = Diagnostics(root)
        compile_content(project, found)  # a project with holes is kept out of the build state
        diags.items += [d for d in found.items if not links_to_unloaded(d, unloaded)]
        diags.raise_if_errors()
    compiled = compile_content(project, diags, state)
    if not project.site.base_url:
        diags.warning(root / "content/site.yaml", 0, 0, "no base_url: sitemap.xml will list relative addresses")
    diags.raise_if_errors()
    return project, compiled, diags


BUILD_STAGES = ("check", "pages", "registry", "reports", "guides", "search", "write")


def build_site(
    root: Path | str, out: Path | str | None = None, *, demo: bool = False, ledger: str | None = None,
    progress: Callable[[str], None] = lambda stage: None, state: BuildState | None = None, cache: bool = True,
    changed: Collection[Path] | None = None,
) -> BuildResult:
    """Build the project in `root` into `out` (default `root/site`); return what was written.

    The registry is published from the ledger (`ledger`, else $CADRE_LEDGER, else
    data/ledger.sqlite3); with `demo`, from the demonstration ledger, made first if missing.

    The build remembers what it did in `state` (kept between rebuilds by `cadre serve --watch`),
    else in the project's `.cadre-cache/` unless `cache` is False, and then renders and writes only
    what changed since; the site is the same as a build from nothing, byte for byte. A cold build
    swaps the whole new site in at once; a warm one writes the changed files beside the old ones,
    then renames them into place (see output.update_site).

    `changed`, from a file watcher, names every file changed since the last build with this
    in-memory `state`: when they are only the Markdown text of skills, lessons or guides, just
    their pages and search entries are made again (see render.quick).
    """
    from . import quick as q

    root = Path(root).resolve()
    saved = state is None and cache
    kept = saved or state is not None  # a state that outlives this build: it may start from a snapshot
    if state is None:
        state = BuildState.load(root) if cache else BuildState()
    _real.cache_clear()  # a file or folder may have become a link since the last build
    _real_folder.cache_clear()
    options = (demo, ledger)
    scan = None
    if saved and out is None and changed is None:
        # A new process: what changed since the last build is what the files' stat says.
        scan = q.scan(root)
        state.snapshot = q.load_snapshot(root, state.token)
        if state.snapshot is not None:
            changed = q.changed_since(state.snapshot, scan)
    if changed is not None and out is None:
        quick = q.quick_rebuild(state, changed, root, root / "site", options, saved)
        if quick is not None:
            if saved:
                _save(state, root, scan, sweep=False)
            return quick
    state.snapshot = None
    state.used, state.known, state.pending = set(), {}, []
    progress("check")
    project, compiled, diags = check_project(root, state)
    state.flush()  # the project passed its checks: its rendered documents may go into the cache
    _give_back_memory()  # what writing them took, before the pages are rendered
    target = Path(out).resolve() if out else project.root / "site"
    if target.exists() and not target.is_dir():
        raise CadreError(f"{target} exists and is not a folder; remove it or choose another output")
    if project.root.is_relative_to(target) or (project.root / "content").resolve().is_relative_to(target):
        raise CadreError(f"refusing to build into {target}: it holds the project itself")
    # The last build's files are reused only if the site folder is the one it wrote.
    warm = state.out is not None and state.out == _identity(target)
    if not warm:
        state.pages, state.outputs, state.search = {}, {}, None
    state.out = None  # until the new site is written, the folder is not known to match the state
    t = Translator(project.site.locale)
    progress("pages")
    pages = plan_pages(project, compiled, t)
    registry = None
    if demo:
        from ..exams.demo import ensure_demo_ledger

        ensure_demo_ledger(project)
    progress("registry")
    # before the ledger is read: a certificate issued while this build runs makes the next one full
    signature = q.ledger_signature(project.root, ledger, demo)
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
    fingerprints: dict[str, tuple[bytes, bytes]] = {}
    # A cold build writes each page into the new site as soon as it is rendered (None stands for
    # it below), so a large site is never held in memory whole; a warm one writes at the end.
    new_site = None if warm else NewSite(target)
    try:
        sink = new_site.put if new_site is not None else None
        documents = search_docs(project, compiled, state.known, eager=new_site is not None)
        ids = {path: doc.ids for path, doc in compiled.docs.items()} if kept else {}
        files: dict[str, bytes | None] = dict(
            render_pages(project, pages, t, demo, state.pages, fingerprints, state.known, sink=sink))
        if new_site is not None:
            # Every page is written: let the rendered documents go (search keeps only their text).
            compiled.docs.clear()
            for page in pages:
                page.context.clear()
            state.known.clear()
            _give_back_memory()
        files.update(registry_files)
        files.update(report_files)
        progress("guides")
        guide_paths = []

        # QR codes are slow to draw (about 7 ms each): new ones are drawn on every core at once.
        wanted = list(dict.fromkeys(f"tel:{tel}" for c in project.cadres if (tel := tel_digits(c.phone))))
        missing = [d for d in wanted if (hit := state.memo.get(("qr", d))) is None or hit[0] != d]
        for data, svg in zip(missing, map_all(qr_svg, missing), strict=True):
            state.memo[("qr", data)] = (data, svg, ())

        def qr(data: str) -> str:
            return state.memo_call("qr", data, data, diags, lambda: qr_svg(data))

        for township in townships_with_cadres(project):
            path = f"guide/{township}/"
            context = guide_context(project, township, certificates, as_of, t, qr)
            html = render_guide(project, context, t, home=href(path, ""), demo=demo)
            files[output_file(path)] = html.encode("utf-8")
            guide_paths.append(path)
        files.update(static_files())
        files.update(scripts(project.site.locale))
        files["sitemap.xml"] = sitemap(project, pages, guide_paths)
        progress("search")
        index_files, state.search = build_index(documents, state.search, target, sink=sink)
        files.update(index_files)
        # What the snapshot keeps of each document: its key, not its text.
        documents = [SearchDoc(d.url, d.title, "", d.key or digest(d.body())) for d in documents]
        copies = {url: path for path, url in compiled.links.assets.items()}
        progress("write")
        if new_site is None:
            # Until the new state is saved, a killed build leaves no state: the next one is cold.
            BuildState.discard(root)
            state.outputs = update_site(target, files, copies, state.outputs, state)
        else:
            for rel, content in sorted(files.items()):
                if content is not None:
                    new_site.put(rel, content)
            for rel, source in sorted(copies.items()):
                new_site.copy(rel, source, state.file_digest(source) or b"")
            state.outputs = new_site.commit()
    except BaseException:
        if new_site is not None:
            new_site.abort()
        raise
    state.out = _identity(target)
    state.pages = fingerprints
    state.forget_unused(("skill", "bank", "guide", "roster", "doc", "practice", "qr"))
    result = BuildResult(target, len(pages), len(files) + len(copies), tuple(diags.warnings))
    # The site is written: what it was made from goes before the state is saved (pickling it is the
    # last rise in a cold build's memory). The snapshot keeps a project without banks.
    del files, index_files, pages, tables, registry, certificates
    project.banks.clear()
    if new_site is not None:
        _give_back_memory()
    if out is None and kept:
        state.snapshot = q.take_snapshot(state, root, target, options, signature, project, compiled, ids, diags,
                                         documents, copies, result, scan)
    if saved:
        _save(state, root, scan)
    return result


def _save(state: BuildState, root: Path, scan: dict[str, tuple[int, int, int]] | None, sweep: bool = True) -> None:
    """Save the state and the snapshot a new process may start from, under one new token."""
    from . import quick as q

    state.token = os.urandom(16)
    snap = state.snapshot
    if snap is not None and scan is not None:
        snap.scan, snap.token = scan, state.token
        q.save_snapshot(snap, root)
    state.save(root, sweep=sweep)
    state.snapshot = None


def _give_back_memory() -> None:
    """Return freed memory to the system (glibc keeps it otherwise), so the search index that comes
    next does not raise the build's peak above what rendering needed."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim(0)


def _identity(folder: Path) -> tuple[str, int] | None:
    """Return what tells the site folder apart from another of the same name (a cold build swaps it)."""
    try:
        return str(folder), os.stat(folder).st_ino
    except OSError:
        return None
