"""The bad-input corpus (tests/bad_input/): every broken project fails check and build alike.

Each case folder holds only what differs from `_base/` (a small valid project with a skill, a
bank of all seven question types, a YAML roster and services.yaml): files that replace or add
to it, `deleted.txt` (base files to remove, one a line), `expected.txt` (the exact error lines,
in the order cadre prints them; warnings left out) and, for a known defect, `xfail.txt` (why the
case fails today; the test is then a strict xfail until cadre is fixed).
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

CORPUS = Path(__file__).resolve().parent / "bad_input"
BASE = CORPUS / "_base"
META = {"expected.txt", "deleted.txt", "xfail.txt"}

# Any error line, located or not ("error: ..." alone counts too, so an unlocated one shows up in the diff).
ERROR_LINE = re.compile(r"^(?:.*: )?error: ")
DIAGNOSTIC_LINE = re.compile(r"^(?:.*: )?(?:error|warning): ")
LOCATED_ERROR = re.compile(r"^[^:]+(:\d+(:\d+)?)?: error: ")
SUMMARY = re.compile(r"^Found \d+ errors?; nothing was written\.$")


def case_dirs() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_"))


def case_params() -> list[object]:
    params: list[object] = []
    for case in case_dirs():
        xfail = case / "xfail.txt"
        marks = [pytest.mark.xfail(strict=True, reason=xfail.read_text("utf-8").strip())] if xfail.exists() else []
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


def case_files(case: Path) -> list[Path]:
    """Return the files a case adds or replaces, relative to the case folder."""
    return sorted(p.relative_to(case) for p in case.rglob("*") if p.is_file() and p.relative_to(case).as_posix() not in META)


def apply_case(case: Path, root: Path) -> None:
    """Change the project in `root` as the case says: delete, then add or replace."""
    deleted = case / "deleted.txt"
    if deleted.exists():
        for name in deleted.read_text("utf-8").split():
            (root / name).unlink()
    for rel in case_files(case):
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(case / rel, target)


def make_case(case: Path, root: Path) -> Path:
    shutil.copytree(BASE, root)
    apply_case(case, root)
    return root


def snapshot(folder: Path) -> dict[str, str]:
    """Return the SHA-256 of every file under `folder`, by relative path."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def run(command: str, root: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, [command, "--project", str(root)], catch_exceptions=False)
    return result.exit_code, result.output


def expected_lines(case: Path) -> list[str]:
    return (case / "expected.txt").read_text("utf-8").splitlines()


def order_key(line: str) -> tuple[str, int, int]:
    """Where an error line points: cadre reports errors sorted by path, then line, then column."""
    path, _, rest = line.partition(": error: ")[0].partition(":")
    numbers = [int(n) for n in rest.split(":") if n] + [0, 0]
    return path, numbers[0], numbers[1]


def case_named(name: str) -> Path:
    """Return the case folder whose name, after its number, is `name`."""
    (case,) = [c for c in case_dirs() if c.name.split("-", 1)[1] == name]
    return case


def test_base_project_is_valid(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    code, output = run("check", root)
    assert code == 0, output
    assert [line for line in output.splitlines() if ERROR_LINE.match(line)] == []


def test_corpus_is_well_formed() -> None:
    cases = case_dirs()
    assert len(cases) >= 60
    assert len({c.name.split("-", 1)[0] for c in cases}) == len(cases), "case numbers repeat"
    for case in cases:
        lines = expected_lines(case)
        assert lines, f"{case.name}: expected.txt is empty"
        assert all(LOCATED_ERROR.match(line) for line in lines), case.name
        assert case_files(case) or (case / "deleted.txt").exists(), f"{case.name} changes nothing"
        assert [order_key(x) for x in lines] == sorted(order_key(x) for x in lines), f"{case.name}: not in file order"


@pytest.mark.parametrize("case", case_params())
def test_bad_project_fails_check_and_build_alike(case: Path, tmp_path: Path) -> None:
    root = make_case(case, tmp_path / "project")
    expected = expected_lines(case)
    before = snapshot(root)
    for command in ("check", "build"):
        code, output = run(command, root)
        lines = output.splitlines()
        assert "Traceback" not in output
        assert [line for line in lines if ERROR_LINE.match(line)] == expected, command
        # Nothing else on the way out: one line per diagnostic, then the count.
        assert [line for line in lines if not (DIAGNOSTIC_LINE.match(line) or SUMMARY.match(line))] == [], command
        n = len(expected)
        assert f"Found {n} error{'s' if n != 1 else ''}; nothing was written." in lines, command
        assert code == 2, command
        assert not (root / "site").exists(), command
        assert list(root.glob(".site.*")) == [], command
        assert snapshot(root) == before, command


FAILED_BUILDS = [
    "site-invalid-yaml",  # fails while loading
    "link-broken",  # fails while compiling Markdown
    "bank-duplicate-question-id",  # fails in a bank
]


@pytest.mark.parametrize("name", FAILED_BUILDS)
def test_failed_build_leaves_previous_site_byte_identical(name: str, tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    code, output = run("build", root)
    assert code == 0, output
    site = snapshot(root / "site")
    assert "index.html" in site
    case = case_named(name)
    apply_case(case, root)
    code, output = run("build", root)
    assert code == 2, output
    assert [line for line in output.splitlines() if ERROR_LINE.match(line)] == expected_lines(case)
    assert snapshot(root / "site") == site
    assert list(root.glob(".site.*")) == []
