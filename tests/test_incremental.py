"""Warm rebuilds: the content-hash cache renders and writes only what changed, and the site it
leaves is the one a build from nothing writes, byte for byte."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import jinja2
import pytest

from generator.cache import CACHE_DIR, BuildState
from generator.errors import ProjectError
from generator.render import output, site
from generator.render.site import BuildResult, build_site
from tests.conftest import REPO


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def assert_same_as_cold(root: Path, tmp_path: Path, warm_result: BuildResult | None = None) -> None:
    cold = tmp_path / "cold-site"
    shutil.rmtree(cold, ignore_errors=True)
    cold_result = build_site(root, cold, cache=False)
    if warm_result is not None:
        assert warm_result.warnings == cold_result.warnings  # the same warnings, in the same order
    warm, fresh = tree(root / "site"), tree(cold)
    assert warm.keys() == fresh.keys(), set(warm) ^ set(fresh)
    different = [name for name in warm if warm[name] != fresh[name]]
    assert different == []


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "county"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "quizzes", root / "quizzes")
    build_site(root)
    assert (root / CACHE_DIR / "state.pickle").is_file()
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def skill_file(root: Path, sid: str) -> Path:
    found = [p for p in (root / "content/skills").rglob("*.md") if p.stem == sid or (p.parent.name == sid and p.name == "index.md")]
    assert len(found) == 1, found
    return found[0]


def test_warm_builds_equal_cold_builds_after_every_kind_of_edit(project: Path, tmp_path: Path) -> None:
    root = project
    # 1. a skill's text and a bank's practice question
    skill = skill_file(root, "household-visits")
    skill.write_text(skill.read_text("utf-8") + "\n新增的一段话:入户走访要带上台账。\n", "utf-8")
    bank = root / "quizzes/household-visits.yaml"
    text = bank.read_text("utf-8")
    bank.write_text(text.replace("prompt: ", "prompt: (改)", 1), "utf-8")
    assert_same_as_cold(root, tmp_path, build_site(root))

    # 2. a title other pages show, and the curriculum
    edit(skill, "title: ", "title: 改名的")
    curriculum = root / "content/curriculum.yaml"
    curriculum.write_text(curriculum.read_text("utf-8").replace("electives:", "# edited\nelectives:", 1), "utf-8")
    assert_same_as_cold(root, tmp_path, build_site(root))

    # 3. a new skill with its bank, a new lesson and a picture changed
    new = root / "content/skills" / skill.relative_to(root / "content/skills").parts[0] / "new-skill.md"
    category = skill.relative_to(root / "content/skills").parts[0]
    new.write_text(f"---\ntitle: 新技能\ncategory: {category}\nhours: 2\nlevels: [1]\n---\n\n## 第一节\n\n调解纠纷要公道。\n",
                   "utf-8")
    (root / "quizzes/new-skill.yaml").write_text(
        "skill: new-skill\nquestions:\n  - id: q1\n    level: 1\n    type: truefalse\n    prompt: 调解要公道。\n"
        "    answer: true\n    practice: true\n", "utf-8")
    bundle = sorted(p.parent for p in (root / "content/skills").rglob("[0-9][0-9]-*.md"))[0]
    extra = bundle / "09-extra.md"
    extra.write_text("---\ntitle: 补充一课\n---\n\n## 补充\n\n新加的一课。\n", "utf-8")
    # a skill without a bank: a warning, which a warm build must give as a cold one does
    lonely = new.with_name("lonely-skill.md")
    lonely.write_text(f"---\ntitle: 没有题库\ncategory: {category}\n---\n\n正文。\n", "utf-8")
    pictures = [p for p in (root / "content").rglob("*.svg")]
    if pictures:
        pictures[0].write_text(pictures[0].read_text("utf-8").replace("</svg>", "<!-- changed --></svg>"), "utf-8")
    warm = build_site(root)
    assert any("lonely-skill" in d.message for d in warm.warnings)
    assert_same_as_cold(root, tmp_path, warm)

    # 4. the roster, a guide page, and the new skill (with its bank) and lesson deleted
    roster = next(p for p in (root / "content").glob("cadres.*"))
    if roster.suffix == ".yaml":
        roster.write_text(roster.read_text("utf-8").replace("phone: ", "phone: 0", 1), "utf-8")
    guide = sorted((root / "content/guides").glob("*.md"))[0]
    guide.write_text(guide.read_text("utf-8") + "\n补充说明。\n", "utf-8")
    new.unlink()
    (root / "quizzes/new-skill.yaml").unlink()
    extra.unlink()
    lonely.unlink()
    assert_same_as_cold(root, tmp_path, build_site(root))


def test_only_changed_files_are_written(project: Path) -> None:
    root = project
    before = stamps(root / "site")
    skill = skill_file(root, "household-visits")
    skill.write_text(skill.read_text("utf-8") + "\n补一句。\n", "utf-8")
    build_site(root)
    after = stamps(root / "site")
    assert after.keys() == before.keys()
    written = sorted(name for name in after if after[name] != before[name])
    assert "skills/household-visits/index.html" in written
    # The page itself, its text for search and the index shards holding its words: nothing else.
    assert all(name == "skills/household-visits/index.html" or name.startswith("search/index/") for name in written), written
    assert len(written) < len(after) / 4
    # Nothing changed: nothing is written.
    build_site(root)
    assert stamps(root / "site") == after


def test_template_change_renders_again_exactly_the_pages_that_use_it(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project
    state = BuildState.load(root)
    before = stamps(root / "site")
    loader = jinja2.PackageLoader("generator", "templates")
    source = loader.get_source(jinja2.Environment(), "practice.html")[0]
    changed = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.DictLoader({"practice.html": source.replace("{% endblock %}", "<!-- new -->{% endblock %}")}),
                                    loader]),
        autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
    )
    monkeypatch.setattr(site, "_environment", lambda: changed)
    rendered: list[str] = []
    real = changed.get_template

    def spy(name: Any, *args: Any, **kwargs: Any) -> jinja2.Template:
        rendered.append(str(name))
        return real(name, *args, **kwargs)

    monkeypatch.setattr(changed, "get_template", spy)
    build_site(root, state=state)
    # The home page names the whole project, so it is always rendered (its template includes two more).
    assert set(rendered) == {"practice.html", "index.html", "base.html", "macros.html"}
    after = stamps(root / "site")
    written = {name for name in after if after[name] != before.get(name)}
    assert written and all(name.endswith("/practice/index.html") for name in written), written
    assert "<!-- new -->" in (root / "site/skills/household-visits/practice/index.html").read_text("utf-8")


def test_rebuilds_in_one_process_keep_their_state_in_memory(project: Path, tmp_path: Path) -> None:
    root = project
    shutil.rmtree(root / CACHE_DIR)
    state = BuildState.load(root)
    build_site(root, state=state)  # the site folder is unknown to this state: written whole
    skill = skill_file(root, "household-visits")
    skill.write_text(skill.read_text("utf-8") + "\n再补一句。\n", "utf-8")
    before = stamps(root / "site")
    folder = (root / "site").stat().st_ino
    build_site(root, state=state)
    assert (root / "site").stat().st_ino == folder  # changed in place
    after = stamps(root / "site")
    assert 0 < sum(1 for name in after if after[name] != before[name]) < len(after) / 4
    assert_same_as_cold(root, tmp_path)


@pytest.mark.parametrize("step", ["write", "replace"])
def test_a_build_that_fails_while_writing_is_redone_cold(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    root = project
    before = tree(root / "site")
    skill = skill_file(root, "household-visits")
    skill.write_text(skill.read_text("utf-8") + "\n写到一半。\n", "utf-8")
    calls = {"n": 0}
    target: Any = output if step == "write" else output.os
    name = "_write" if step == "write" else "replace"
    real = getattr(target, name)

    def failing(*args: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        real(*args)

    monkeypatch.setattr(target, name, failing)
    with pytest.raises(OSError):
        build_site(root)
    monkeypatch.undo()
    if step == "write":
        # Nothing is renamed into place until every changed file is written: the old site stands.
        assert tree(root / "site") == before
    assert not (root / CACHE_DIR / "state.pickle").exists()
    build_site(root)
    assert_same_as_cold(root, tmp_path)
    assert not [p for p in (root / "site").rglob("*") if ".tmp-" in p.name]


def test_a_damaged_cache_only_costs_a_cold_build(project: Path, tmp_path: Path) -> None:
    root = project
    (root / CACHE_DIR / "state.pickle").write_bytes(b"not a pickle")
    for entry in (root / CACHE_DIR / "objects").iterdir():
        entry.write_bytes(b"garbage")
        break
    skill = skill_file(root, "household-visits")
    skill.write_text(skill.read_text("utf-8") + "\n缓存坏了也不怕。\n", "utf-8")
    build_site(root)
    assert_same_as_cold(root, tmp_path)
    # Objects damaged under a good state are made again too.
    for entry in (root / CACHE_DIR / "objects").iterdir():
        entry.write_bytes(b"garbage")
    edit(root / "content/curriculum.yaml", "electives:", "# again\nelectives:")
    build_site(root)
    assert_same_as_cold(root, tmp_path)


def test_a_cache_made_by_other_code_is_not_used(project: Path) -> None:
    """The saved state names the format, the release and a hash of cadre's own code and templates."""
    state = BuildState.load(project)
    assert state.pages  # the fixture's build was saved and is read back
    state.version = (*state.version[:2], "another cadre")
    state.save(project)
    assert BuildState.load(project).pages == {}


class _Calls:
    """Builds, counting those that checked the whole project (a rebuild of edited text alone does not)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.n = 0
        self.counting = False
        real = site.check_project

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.n += self.counting
            return real(*args, **kwargs)

        monkeypatch.setattr(site, "check_project", counted)

    def build(self, *args: Any, **kwargs: Any) -> BuildResult:
        self.counting = True
        try:
            return build_site(*args, **kwargs)
        finally:
            self.counting = False


def test_editing_text_in_one_process_redoes_only_its_pages(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`serve --watch` passes the changed files: edited Markdown text redoes its page and search entry."""
    root = project
    state = BuildState.load(root)
    build_site(root, state=state)
    calls = _Calls(monkeypatch)
    skill = skill_file(root, "household-visits")
    lesson = root / "content/skills/economy/agricultural-insurance/02-claims.md"
    guide = root / "content/guides/about.md"
    before = stamps(root / "site")
    skill.write_text(skill.read_text("utf-8") + "\n走访后当天整理记录。\n", "utf-8")
    lesson.write_text(lesson.read_text("utf-8") + "\n理赔材料要齐全。\n", "utf-8")
    edit(guide, "## 三项机制", "## 三项机制\n\n新加的一段。")
    result = calls.build(root, state=state, changed={skill, lesson, guide})
    assert calls.n == 0
    after = stamps(root / "site")
    written = sorted(name for name in after if after[name] != before[name])
    pages = {"skills/household-visits/index.html", "skills/agricultural-insurance/claims/index.html",
             "guides/about/index.html"}
    assert pages <= set(written)
    assert all(name in pages or name.startswith("search/index/") for name in written), written
    assert_same_as_cold(root, tmp_path, result)
    # Again, on top of the last quick rebuild.
    skill.write_text(skill.read_text("utf-8") + "\n再补一句。\n", "utf-8")
    result = calls.build(root, state=state, changed={skill})
    assert calls.n == 0
    assert "再补一句" in (root / "site/skills/household-visits/index.html").read_text("utf-8")
    assert_same_as_cold(root, tmp_path, result)


def test_edits_beyond_text_take_the_full_path(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project
    state = BuildState.load(root)
    build_site(root, state=state)
    calls = _Calls(monkeypatch)
    skill = skill_file(root, "household-visits")
    # Front matter: other pages show the title.
    edit(skill, "title: ", "title: 改名的")
    assert_same_as_cold(root, tmp_path, calls.build(root, state=state, changed={skill}))
    assert calls.n == 1
    # A file that is not a page's text (a bank).
    bank = root / "quizzes/household-visits.yaml"
    bank.write_text(bank.read_text("utf-8").replace("prompt: ", "prompt: (改)", 1), "utf-8")
    assert_same_as_cold(root, tmp_path, calls.build(root, state=state, changed={bank}))
    assert calls.n == 2
    # A picture newly shown: what is copied changes.
    pictures = root / "content/skills/economy/agricultural-insurance/images"
    name = sorted(p.name for p in pictures.iterdir())[0]
    lesson = root / "content/skills/economy/agricultural-insurance/02-claims.md"
    lesson.write_text(lesson.read_text("utf-8") + f"\n![图](images/{name})\n", "utf-8")
    assert_same_as_cold(root, tmp_path, calls.build(root, state=state, changed={lesson}))
    # Text again: quick once more.
    lesson.write_text(lesson.read_text("utf-8") + "\n又一句。\n", "utf-8")
    n = calls.n
    assert_same_as_cold(root, tmp_path, calls.build(root, state=state, changed={lesson}))
    assert calls.n == n


def test_a_text_edit_that_breaks_a_link_or_an_anchor_fails_like_a_full_build(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project
    state = BuildState.load(root)
    build_site(root, state=state)
    before = tree(root / "site")
    skill = skill_file(root, "household-visits")
    good = skill.read_text("utf-8")
    # social-assistance.md links to household-visits.md#走访前的准备: renaming that heading breaks it.
    edit(skill, "## 走访前的准备", "## 走访之前")
    with pytest.raises(ProjectError) as raised:
        build_site(root, state=state, changed={skill})
    assert any("broken anchor: '#走访前的准备'" in str(d) and "social-assistance.md:87:" in str(d)
               for d in raised.value.diagnostics), [str(d) for d in raised.value.diagnostics]
    assert tree(root / "site") == before
    skill.write_text(good + "\n[坏链接](nowhere.md)\n", "utf-8")
    with pytest.raises(ProjectError) as raised:
        build_site(root, state=state, changed={skill})
    assert any("broken link: 'nowhere.md'" in str(d) for d in raised.value.diagnostics)
    assert tree(root / "site") == before
    # Fixed: the site is built again (a failed build leaves nothing a quick rebuild could start from).
    skill.write_text(good + "\n修好了。\n", "utf-8")
    assert_same_as_cold(root, tmp_path, build_site(root, state=state, changed={skill}))


def test_a_certificate_issued_meanwhile_makes_the_rebuild_full(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The registry and reports come from the ledger: a rebuild after it changed is never a quick one."""
    root = project
    state = BuildState.load(root)
    build_site(root, state=state, demo=True)
    calls = _Calls(monkeypatch)
    skill = skill_file(root, "household-visits")
    skill.write_text(skill.read_text("utf-8") + "\n账本没变。\n", "utf-8")
    calls.build(root, state=state, demo=True, changed={skill})
    assert calls.n == 0
    ledger = root / "data/demo-ledger.sqlite3"
    with sqlite3.connect(ledger) as db:
        db.execute("CREATE TABLE IF NOT EXISTS touched (x)")
        db.execute("INSERT INTO touched VALUES (1)")
    skill.write_text(skill.read_text("utf-8") + "\n账本变了。\n", "utf-8")
    calls.build(root, state=state, demo=True, changed={skill})
    assert calls.n == 1


def test_a_new_process_rebuilds_edited_text_from_the_saved_snapshot(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cadre build` after editing text: the files' stat says what changed; the snapshot saved with the
    state is enough to redo just those pages (the remembered results are not even read)."""
    root = project
    assert (root / CACHE_DIR / "snapshot.pickle").is_file()
    calls = _Calls(monkeypatch)
    read: list[str] = []
    real_open = open

    def spy(file: Any, *args: Any, **kwargs: Any) -> Any:
        read.append(str(file))
        return real_open(file, *args, **kwargs)

    # Nothing changed: nothing is checked, rendered or written.
    before = stamps(root / "site")
    calls.build(root)
    assert calls.n == 0
    assert stamps(root / "site") == before
    skill = skill_file(root, "household-visits")
    skill.write_text(skill.read_text("utf-8") + "\n新进程里改的一句。\n", "utf-8")
    monkeypatch.setattr("builtins.open", spy)
    result = calls.build(root)
    monkeypatch.undo()
    assert calls.n == 0
    assert not [name for name in read if name.endswith("memo.pickle")]
    after = stamps(root / "site")
    written = sorted(name for name in after if after[name] != before[name])
    assert "skills/household-visits/index.html" in written
    assert all(name == "skills/household-visits/index.html" or name.startswith("search/index/") for name in written)
    assert_same_as_cold(root, tmp_path, result)
    # And again from the snapshot that rebuild saved.
    calls = _Calls(monkeypatch)
    skill.write_text(skill.read_text("utf-8") + "\n再改一句。\n", "utf-8")
    assert_same_as_cold(root, tmp_path, calls.build(root))
    assert calls.n == 0


def test_a_new_process_takes_the_full_path_when_files_come_or_go_or_the_snapshot_is_bad(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project
    calls = _Calls(monkeypatch)
    skill = skill_file(root, "household-visits")
    extra = skill.parent / "new-notes.md"
    extra.write_text("---\ntitle: 新笔记\ncategory: mass-work\n---\n\n新的技能。\n", "utf-8")
    assert_same_as_cold(root, tmp_path, calls.build(root))
    assert calls.n == 1
    extra.unlink()
    assert_same_as_cold(root, tmp_path, calls.build(root))
    assert calls.n == 2
    (root / CACHE_DIR / "snapshot.pickle").write_bytes(b"damaged")
    skill.write_text(skill.read_text("utf-8") + "\n快照坏了。\n", "utf-8")
    assert_same_as_cold(root, tmp_path, calls.build(root))
    assert calls.n == 3
    # A snapshot from another build of the project (another token) is not used either.
    saved = (root / CACHE_DIR / "snapshot.pickle").read_bytes()
    skill.write_text(skill.read_text("utf-8") + "\n再来。\n", "utf-8")
    calls.build(root)
    assert calls.n == 3
    (root / CACHE_DIR / "snapshot.pickle").write_bytes(saved)
    skill.write_text(skill.read_text("utf-8") + "\n旧快照。\n", "utf-8")
    assert_same_as_cold(root, tmp_path, calls.build(root))
    assert calls.n == 4
