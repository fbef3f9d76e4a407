"""Building sites: complete, relative, small, deterministic, and never half-written."""

from __future__ import annotations

import filecmp
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.errors import ProjectError
from generator.render.site import build_site

from .conftest import FIXTURES, REPO, MakeProject
from .sitecheck import broken_links, external_resources, page_weights

GOLDEN = Path(__file__).parent / "golden" / "small"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_reference_site_has_every_page(reference_site: Path) -> None:
    expected = [
        "index.html", "404.html", "sitemap.xml", "assets/style.css",
        "categories/economy/index.html", "categories/stability/index.html", "categories/mass-work/index.html",
        "skills/shiitake-cultivation/index.html",
        "skills/shiitake-cultivation/inoculation-and-spawn-running/index.html",
        "skills/shiitake-cultivation/images/calendar.svg",
        "skills/dispute-mediation/index.html",
        "curriculum/index.html", "curriculum/平安助理/index.html", "curriculum/云溪乡/index.html",
        "guides/how-to-study/index.html",
    ]
    missing = [p for p in expected if not (reference_site / p).is_file()]
    assert missing == []


def test_reference_site_has_no_broken_link(reference_site: Path) -> None:
    assert broken_links(reference_site) == []


def test_nothing_is_loaded_from_another_host(reference_site: Path) -> None:
    assert external_resources(reference_site) == []


def test_every_page_is_under_60_kb(reference_site: Path) -> None:
    # The service guides are print booklets, specified as one page holding a township's whole
    # directory (a QR image per cadre) and every service item; they are read on paper, not on a phone.
    weights = page_weights(reference_site)
    heavy = {page: size for page, size in weights.items() if size > 60 * 1024 and not page.startswith("guide/")}
    assert heavy == {}


def test_lessons_have_previous_and_next(reference_site: Path) -> None:
    html = (reference_site / "skills/shiitake-cultivation/inoculation-and-spawn-running/index.html").read_text("utf-8")
    assert 'rel="prev" href="../site-and-substrate/index.html"' in html
    assert 'rel="next" href="../fruiting-and-harvest/index.html"' in html


def test_sitemap_lists_absolute_addresses(reference_site: Path) -> None:
    sitemap = (reference_site / "sitemap.xml").read_text("utf-8")
    assert "<loc>https://training.qingxi.example.org/skills/dispute-mediation/</loc>" in sitemap
    assert "404" not in sitemap


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    build_site(FIXTURES / "small", tmp_path / "one")
    build_site(FIXTURES / "small", tmp_path / "two")
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_golden_output(tmp_path: Path) -> None:
    """The small fixture builds exactly the checked-in folder (UPDATE_GOLDEN=1 rewrites it)."""
    out = tmp_path / "site"
    build_site(FIXTURES / "small", out)
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN)
    compared = filecmp.dircmp(out, GOLDEN)
    assert tree(out).keys() == tree(GOLDEN).keys(), compared.report()
    different = [name for name, data in tree(out).items() if tree(GOLDEN)[name] != data]
    assert different == []


def test_bundle_assets_and_lesson_links(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(FIXTURES / "small", out)
    index = (out / "skills/flood-drill/index.html").read_text("utf-8")
    assert 'src="images/route.svg"' in index
    assert 'href="../household-visits/index.html#走访的步骤"' in index
    assert (out / "skills/flood-drill/images/route.svg").is_file()
    lesson = (out / "skills/flood-drill/plan/index.html").read_text("utf-8")
    assert 'href="../run/index.html"' in lesson
    assert broken_links(out) == []


def test_failed_build_leaves_previous_site_untouched(make_project: MakeProject) -> None:
    root = make_project()
    build_site(root)
    before = tree(root / "site")
    content_before = tree(root / "content")
    (root / "content/skills/economy/alpha.md").write_text("---\ntitle: 甲\ncategory: economy\n---\n[x](nope.md)\n", "utf-8")
    with pytest.raises(ProjectError):
        build_site(root)
    assert tree(root / "site") == before
    assert tree(root / "content").keys() == content_before.keys()
    assert sorted(p.name for p in root.iterdir()) == [".cadre-cache", "content", "site"]


def test_interrupted_build_debris_is_cleaned(make_project: MakeProject) -> None:
    root = make_project()
    (root / ".site.tmp-99999").mkdir()
    (root / ".site.tmp-99999" / "half.html").write_text("half")
    build_site(root)
    assert not (root / ".site.tmp-99999").exists()
    assert (root / "site/index.html").is_file()


def test_english_locale_has_english_interface(make_project: MakeProject) -> None:
    root = make_project(
        {
            "content/site.yaml": "title: Training\nlocale: en\n",
            "content/curriculum.yaml": "categories:\n  - {id: economy, title: Economy}\nrequired:\n  all: [alpha]\n"
            "levels:\n  - {id: 1, name: Junior, pass_mark: 60, issuer: Township, validity_years: 3}\n",
            "content/skills/economy/alpha.md": "---\ntitle: Alpha\ncategory: economy\nhours: 2\n---\n\n## One\n\nText.\n",
        }
    )
    build_site(root)
    for page in (root / "site").rglob("*.html"):
        text = page.read_text("utf-8")
        cjk = [ch for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"]
        assert cjk == [], f"{page}: {''.join(cjk)}"
    assert '<html lang="en">' in (root / "site/index.html").read_text("utf-8")


def test_cli_build_says_where_the_site_is(make_project: MakeProject) -> None:
    root = make_project()
    result = CliRunner().invoke(main, ["build", "--project", str(root)], catch_exceptions=False)
    assert result.exit_code == 0
    assert "site/" in result.output and "index.html" in result.output and "cadre serve" in result.output
    assert (root / "site/index.html").is_file()


def test_build_refuses_to_write_over_the_project(make_project: MakeProject) -> None:
    root = make_project()
    result = CliRunner().invoke(main, ["build", "--project", str(root), "--out", str(root)], catch_exceptions=False)
    assert result.exit_code == 2
    assert "holds the project itself" in result.output
    assert (root / "content/site.yaml").is_file()


def test_reference_project_is_the_repository_root() -> None:
    assert (REPO / "content/site.yaml").is_file()
