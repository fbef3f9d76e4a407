"""The command line: help with examples, version, init, new, and no traceback on bad input."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from generator import __version__
from generator.cli import main
from generator.i18n import catalog
from generator.project import load_project

from .conftest import REPO


def all_commands(group: click.Group = main, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found += all_commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


@pytest.mark.parametrize("command", all_commands(), ids=lambda c: " ".join(c) or "cadre")
def test_every_command_has_help_with_an_example(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert "cadre " in result.output.split("Example:")[1]


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.output.strip() == f"cadre, version {__version__}"


def test_init_makes_a_valid_project_that_builds(tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "county"
    assert runner.invoke(main, ["init", str(target)], catch_exceptions=False).exit_code == 0
    result = runner.invoke(main, ["check", "--project", str(target)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "OK: 2 skills" in result.output
    assert runner.invoke(main, ["build", "-q", "--project", str(target)], catch_exceptions=False).exit_code == 0
    assert (target / "site/index.html").is_file()
    again = runner.invoke(main, ["init", str(target)], catch_exceptions=False)
    assert again.exit_code == 2 and "is not empty" in again.output


def test_new_skill_scaffolds_front_matter(tmp_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(main, ["init", str(tmp_path / "p")], catch_exceptions=False)
    result = runner.invoke(
        main, ["new", "skill", "tea-pruning", "--category", "economy", "--title", "茶树修剪", "-p", str(tmp_path / "p")],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    path = tmp_path / "p/content/skills/economy/tea-pruning.md"
    front = yaml.safe_load(path.read_text("utf-8").split("---")[1])
    assert front["title"] == "茶树修剪" and front["category"] == "economy" and front["levels"] == [1, 2, 3]
    assert "tea-pruning" in load_project(tmp_path / "p").skills
    for args, message in [
        (["new", "skill", "tea-pruning", "-c", "economy"], "already exists"),
        (["new", "skill", "Tea_Pruning", "-c", "economy"], "must use only a-z"),
        (["new", "skill", "x", "-c", "farming"], "unknown category 'farming'; choose one of: economy, stability, mass-work"),
    ]:
        bad = runner.invoke(main, [*args, "-p", str(tmp_path / "p")], catch_exceptions=False)
        assert bad.exit_code == 2 and message in bad.output


def test_new_bundle_skill(tmp_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(main, ["init", str(tmp_path / "p")], catch_exceptions=False)
    runner.invoke(main, ["new", "skill", "drying", "-c", "economy", "--bundle", "-p", str(tmp_path / "p")], catch_exceptions=False)
    skill = load_project(tmp_path / "p").skills["drying"]
    assert [lesson.slug for lesson in skill.lessons] == ["basics"]


def test_not_a_project_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--project", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 2
    assert "no content/ folder here" in result.output
    assert "Traceback" not in result.output


def test_bad_option_exits_2() -> None:
    assert CliRunner().invoke(main, ["build", "--no-such-option"]).exit_code == 2


def test_message_catalogs_have_the_same_keys() -> None:
    assert catalog("zh-CN").keys() == catalog("en").keys()


def test_templates_use_only_messages_that_exist() -> None:
    used: set[str] = set()
    for template in (REPO / "generator/templates").glob("*.html"):
        used |= set(re.findall(r"\bt\('([a-z0-9_]+)'", template.read_text("utf-8")))
    for source in (REPO / "generator").rglob("*.py"):
        used |= set(re.findall(r"\bt\(f?\"([a-z0-9_]+)\"", source.read_text("utf-8")))
    keys = catalog("zh-CN").keys()
    # A key built in the template (t('cert_status_' ~ status)) needs at least one message of that prefix.
    prefixes = {u for u in used if u.endswith("_")}
    assert {p for p in prefixes if not any(k.startswith(p) for k in keys)} == set()
    assert used - prefixes - keys == set()


def test_ci_runs_the_readme_test_command_exactly() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    assert len(blocks) >= 2
    assert blocks[0].startswith("pip install ") and "cadre build" in blocks[0]
    ci = (REPO / ".ci/run").read_text("utf-8").strip().splitlines()
    assert ci[-1] == blocks[1]
    for package in ("chromium", "poppler-utils", "fonts-noto-cjk"):
        assert package in blocks[1]
