"""Fixtures: small projects written from dedented strings, the reference project built once."""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.render.site import build_site

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

MakeProject = Callable[..., Path]


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` (path -> dedented text or raw bytes) under `root`; return `root`."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), "utf-8")
    return root


MINIMAL: dict[str, str | bytes] = {
    "content/site.yaml": """
        title: 测试站点
        """,
    "content/curriculum.yaml": """
        categories:
          - id: economy
            title: 发展经济
          - id: stability
            title: 维护社会稳定
        required:
          all: [alpha]
        """,
    "content/skills/economy/alpha.md": """
        ---
        title: 甲技能
        category: economy
        ---

        ## 第一节

        正文。
        """,
}


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    """Return a function writing a project: the minimal one, changed by `files` (None deletes)."""

    def make(files: dict[str, str | bytes | None] | None = None, base: dict[str, str | bytes] | None = None) -> Path:
        root = tmp_path / "project"
        if root.exists():
            shutil.rmtree(root)
        merged: dict[str, str | bytes | None] = {**(MINIMAL if base is None else base), **(files or {})}
        write_files(root, {k: v for k, v in merged.items() if v is not None})
        return root

    return make


@pytest.fixture(scope="session")
def reference_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference project at the repository root, built once per session."""
    out = tmp_path_factory.mktemp("reference") / "site"
    build_site(REPO, out)
    return out


def require_tool(path: str) -> None:
    """Skip when a system tool is missing, but fail in CI, where the README installs it."""
    import glob

    if shutil.which(path) is None and not glob.glob(path):
        message = f"{path} is not installed (the README's test command installs it)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server from Debian's packages on a loopback port (fails in CI when missing)."""
    from . import pgserver

    if not pgserver.available():
        require_tool("/usr/lib/postgresql/*/bin/initdb")
    with pgserver.postgres_server() as url:
        yield url


_DB_COUNTER = iter(range(10**6))


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same tests against both backends: a fresh SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "data" / "ledger.sqlite3")
    from .pgserver import fresh_database

    server = request.getfixturevalue("postgres_url")
    return fresh_database(server, f"cadre_test_{next(_DB_COUNTER)}")
