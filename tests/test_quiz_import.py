"""`cadre quiz import`: GIFT and Aiken into a bank that `cadre check` accepts; what cannot map is listed."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from generator.project import load_project

from .conftest import FIXTURES

IMPORTS = FIXTURES / "import"


def init(tmp_path: Path) -> Path:
    """A new project without the skeleton's banks, so imports write fresh ones."""
    root = tmp_path / "p"
    CliRunner().invoke(main, ["init", str(root)], catch_exceptions=False)
    shutil.rmtree(root / "quizzes")
    return root


def test_gift_import_writes_a_valid_bank(tmp_path: Path) -> None:
    root = init(tmp_path)
    result = CliRunner().invoke(
        main, ["quiz", "import", str(IMPORTS / "sample.gift"), "--skill", "household-visits", "-p", str(root)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    bank = load_project(root).banks["household-visits"]
    assert {q.type for q in bank.questions} >= {"single", "multiple", "truefalse", "fill", "numeric", "match"}
    assert not bank.practice
    check = CliRunner().invoke(main, ["check", "-p", str(root)], catch_exceptions=False)
    assert check.exit_code == 0, check.output


def test_unmappable_questions_are_listed_with_their_line(tmp_path: Path) -> None:
    root = init(tmp_path)
    result = CliRunner().invoke(
        main, ["quiz", "import", str(IMPORTS / "bad.gift"), "--skill", "household-visits", "-p", str(root)], catch_exceptions=False
    )
    warnings = [line for line in result.output.splitlines() if ": warning: not imported:" in line]
    assert warnings and all(line.startswith(str(IMPORTS / "bad.gift")) or "bad.gift:" in line for line in warnings)
    assert any("essay" in line for line in warnings)


def test_aiken_import_and_refusals(tmp_path: Path) -> None:
    root = init(tmp_path)
    runner = CliRunner()
    args = ["quiz", "import", str(IMPORTS / "sample.aiken.txt"), "--skill", "vegetable-growing", "-p", str(root)]
    assert runner.invoke(main, args, catch_exceptions=False).exit_code == 0
    again = runner.invoke(main, args, catch_exceptions=False)
    assert again.exit_code == 2 and "already exists" in again.output
    assert runner.invoke(main, [*args, "--force"], catch_exceptions=False).exit_code == 0
    wrong = runner.invoke(main, [*args[:3], "--skill", "nope", "-p", str(root)], catch_exceptions=False)
    assert wrong.exit_code == 2 and "unknown skill 'nope'" in wrong.output
    level = runner.invoke(main, [*args, "--force", "--level", "3"], catch_exceptions=False)
    assert level.exit_code == 2 and "does not offer level 3" in level.output
