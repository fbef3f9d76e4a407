"""Random input to every loader: it loads, or cadre reports located errors; never another exception.

Each example writes one file of a fresh copy of tests/bad_input/_base (a valid project) and runs
the same check as `cadre check`. Inputs are random bytes, random text, text made of the format's
own tokens (so the parser gets past the first character) and well-formed YAML with the format's
keys and values of every type (so the validators, not the parser, are exercised).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.errors import Diagnostics, ProjectError
from generator.quiz.bank import load_bank
from generator.quiz.imports import Imported, parse_aiken, parse_gift
from generator.render.site import check_project

BASE = Path(__file__).resolve().parent / "bad_input" / "_base"
LOCATED = re.compile(r"^[^:]+(:\d+(:\d+)?)?: error: ")
SETTINGS = settings(max_examples=60, deadline=None)


def fresh_project(factory: pytest.TempPathFactory) -> Path:
    """A new copy of the valid base project for one example (never reused between examples)."""
    root = factory.mktemp("prop") / "project"
    shutil.copytree(BASE, root)
    return root


def write(root: Path, rel: str, data: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


def assert_loads_or_located(root: Path) -> None:
    """Check the project: success, or a ProjectError whose every error is a located line."""
    try:
        check_project(root)
    except ProjectError as exc:
        lines = [str(d) for d in exc.errors]
        assert lines, "ProjectError with no error in it"
        assert [line for line in lines if not LOCATED.match(line)] == []


# ---------------------------------------------------------------- strategies

CJK = "香菇菌棒接种温度乡镇干部调解纠纷对错是否,。:;“”()【】"
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.text(alphabet=CJK + "abcABC-_ /\\#%.:?*|<>\"'", max_size=12),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
)


def values(leaf: st.SearchStrategy[Any] = scalars) -> st.SearchStrategy[Any]:
    return st.recursive(
        leaf,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
        max_leaves=10,
    )


def mappings(
    keys: list[str], special: dict[str, st.SearchStrategy[Any]] | None = None, required: tuple[str, ...] = ()
) -> st.SearchStrategy[dict[str, Any]]:
    """Mappings of the format's keys (always the `required` ones, some others, a few unknown ones) to
    plausible values (`special`) or values of any type."""
    special = special or {}

    def value(key: str) -> st.SearchStrategy[Any]:
        return st.one_of(special[key], values()) if key in special else values()

    optional = st.lists(st.sampled_from([*keys, "extra", "titel", "x"]), unique=True, max_size=len(keys) + 1)
    return optional.flatmap(lambda names: st.fixed_dictionaries({k: value(k) for k in dict.fromkeys([*required, *names])}))


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


YAML_TOKENS = [
    "\n", "\n", "  ", "- ", ": ", ":", "[", "]", "{", "}", ", ", "'", '"', "#", "&a ", "*a", "!!str ", "!x ", "~", "null",
    "true", "no", "1", "-1", "3.5", "1e400", ".nan", "2024-01-01", "2024-13-01", "\t", "<<: ", "? ", "|\n", ">\n", "---\n",
    "...\n", "%YAML 1.1\n", "\\", "\ufeff", "中文", "香菇", "乡镇",
]


def token_text(tokens: list[str], words: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(tokens + words), max_size=40).map("".join)


def yaml_inputs(keys: list[str], structured: st.SearchStrategy[Any]) -> st.SearchStrategy[str | bytes]:
    return st.one_of(
        st.binary(max_size=200),
        st.text(max_size=200),
        token_text(YAML_TOKENS, keys),
        structured.map(dump),
    )


SITE_KEYS = ["title", "locale", "base_url", "organisation", "hotline", "ledger_prefix", "unsafe_html"]
site_docs = mappings(SITE_KEYS, {
    "title": st.text(max_size=10),
    "locale": st.sampled_from(["zh-CN", "en", "fr", ""]),
    "base_url": st.sampled_from(["https://example.org", "http://a/", "ftp://x", "example.org", ""]),
    "ledger_prefix": st.text(alphabet="ABC123abc-", max_size=14),
}, required=("title",))

category = mappings(["id", "title", "summary"], {"id": st.sampled_from(["economy", "stability", "Bad_Id", "economy", ""])}, ("id", "title"))
level = mappings(["id", "name", "pass_mark", "issuer", "validity_years"], {
    "id": st.integers(-1, 5), "pass_mark": st.integers(-10, 200), "validity_years": st.integers(-1, 5),
}, ("id", "name", "pass_mark", "issuer", "validity_years"))
skill_ids = st.lists(st.sampled_from(["alpha", "beta", "gamma", "", "Alpha"]) | st.text(max_size=6), max_size=3)
required = mappings(["all", "posts", "townships"], {
    "all": skill_ids,
    "posts": st.dictionaries(st.sampled_from(["干事", "农村指导员", "../etc", "a/b", ".x", ""]), skill_ids, max_size=2),
    "townships": st.dictionaries(st.sampled_from(["云溪乡", "a\\b", "#1", "乡 镇"]), skill_ids, max_size=2),
})
CURRICULUM_KEYS = ["categories", "levels", "required", "electives", "min_certificates"]
curriculum_docs = mappings(CURRICULUM_KEYS, {
    "categories": st.lists(category, max_size=3),
    "levels": st.lists(level, max_size=4),
    "required": required,
    "electives": mappings(["min"], {"min": st.integers(-2, 3)}),
}, ("categories",))

SKILL_KEYS = ["id", "title", "category", "summary", "hours", "levels", "prerequisites", "tags", "trainers", "updated"]
front_matter = mappings(SKILL_KEYS, {
    "title": st.text(max_size=8),
    "category": st.sampled_from(["economy", "stability", "farming", ""]),
    "id": st.sampled_from(["beta", "alpha", "Beta_1", "b" * 40, ""]),
    "levels": st.lists(st.integers(-1, 5), max_size=4),
    "prerequisites": skill_ids,
}, ("title", "category"))
MARKDOWN_TOKENS = [
    "\n", "\n\n", "# ", "## ", "[", "]", "(", ")", "![", "<", ">", "#", "`", "```\n", "|", "---", "*", "_", "[^1]", "[^1]: ",
    "{#id}", "!!! note\n", "    ", "- [ ] ", "http://", "mailto:a", "javascript:x", "../", "./", "/", "%", "%20", "?", "&amp;",
    "alpha.md", "beta.md", "index.md", "images/a.png", "#第一节", "第一节", "正文", "<b>", "</b>", "<script>", "\r\n", "\ufeff",
    "](", "](http://[", "](%00", "](%2F..%2F", "](beta.md#", "](../../../../etc/passwd",
]
markdown_bodies = st.one_of(st.text(max_size=200), token_text(MARKDOWN_TOKENS, []))


def skill_file(fm: Any, body: str) -> str:
    head = fm if isinstance(fm, str) else dump(fm)
    return f"---\n{head}\n---\n{body}"


skill_files = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300),
    st.builds(skill_file, token_text(YAML_TOKENS, SKILL_KEYS), markdown_bodies),
    st.builds(skill_file, front_matter, markdown_bodies),
    st.builds(skill_file, st.just({"title": "乙", "category": "economy"}), markdown_bodies),
)

CSV_HEADER = "id,name,township,village,post,duties,phone,electives\n"
CSV_TOKENS = [",", ",", "\n", "\r\n", '"', '""', ";", ";", " ", "c1", "c2", "alpha", "gamma", "云溪乡", "甲/乙", "林雪梅", "100-0000", "\x00", "mobile"]
csv_text = token_text(CSV_TOKENS, [])
csv_files = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda t: t.encode("utf-8")),
    csv_text.map(lambda t: (CSV_HEADER + t).encode("utf-8")),
    csv_text.map(lambda t: (CSV_HEADER + t).encode("utf-8-sig")),
    st.text(alphabet=CJK + ",;\n\"abc", max_size=200).map(lambda t: (CSV_HEADER + t).encode("gb18030")),
    st.binary(max_size=200).map(lambda b: CSV_HEADER.encode("gb18030") + b),
)

SERVICE_KEYS = ["id", "title", "category", "skills", "procedure", "documents", "time_limit_days", "fee", "where", "hotline"]
service = mappings(SERVICE_KEYS, {
    "id": st.sampled_from(["s1", "s1", "Bad Id", ""]),
    "category": st.sampled_from(["economy", "ecnomy", ""]),
    "skills": skill_ids,
    "fee": st.one_of(st.integers(-5, 5), st.floats(allow_nan=True), st.text(max_size=4)),
}, ("id", "title", "category"))
services_docs = st.one_of(st.lists(service, max_size=3), values())

TYPES = ["single", "multiple", "truefalse", "fill", "numeric", "order", "match", "essay"]
QUESTION_KEYS = [
    "id", "level", "type", "prompt", "explanation", "points", "practice", "exam", "tags",
    "options", "answer", "scoring", "tolerance", "unit", "items", "pairs",
]
question = mappings(QUESTION_KEYS, {
    "id": st.sampled_from(["q1", "q2", "q1", "a b", ""]),
    "level": st.integers(-1, 5),
    "type": st.sampled_from(TYPES),
    "prompt": st.sampled_from(["甲", "____ 和 ____", "填 ____", ""]),
    "answer": st.one_of(st.sampled_from(["A", "B", "AC", "AA", "E", "true"]), st.booleans(), st.integers(-3, 3), values()),
    "options": st.lists(st.text(max_size=3), max_size=4),
    "items": st.lists(st.sampled_from(["甲", "乙", "丙", "甲"]), max_size=4),
    "pairs": st.lists(st.lists(st.sampled_from(["a", "b", "c"]), max_size=3), max_size=3),
}, ("id", "level", "type", "prompt"))
section = mappings(
    ["level", "count", "tags", "type"], {"level": st.integers(-1, 5), "count": st.integers(-1, 4), "type": st.sampled_from(TYPES)},
    ("level", "count"),
)
blueprint = mappings(["minutes", "attempts", "draw"], {"draw": st.lists(section, max_size=3)}, ("draw",))
bank_docs = mappings(["skill", "exam", "questions"], {
    "skill": st.sampled_from(["alpha", "beta", ""]),
    "exam": st.dictionaries(st.sampled_from([1, 2, 4, "one"]), blueprint, max_size=2),
    "questions": st.lists(question, max_size=4),
}, ("skill", "questions"))

GIFT_TOKENS = [
    "\n", "\n\n", "::", "::题目::", "{", "}", "=", "~", "#", "####", "%50%", "%-100%", "%abc%", "->", " -> ", "\\", "\\{", "\\:",
    "T", "TRUE", "F", "FALSE", "$CATEGORY: $course$/香菇", "//", "// 注释", ":", "..", "1", "2.5", "-3", "1e400", "[html]",
    "[markdown]", "____", " ", "香菇", "对", "错", "甲", "乙", "A", "\r\n",
]
AIKEN_TOKENS = ["\n", "\n\n", "A. ", "B. ", "C) ", "D) ", "a. ", "ANSWER: ", "ANSWER:", "answer: ", "A", "B", "E", " ", "香菇?", "甲", "乙", "\r\n", "\t"]


# ---------------------------------------------------------------- properties of the project loaders


def check_with_file(factory: pytest.TempPathFactory, rel: str, data: str | bytes, delete: tuple[str, ...] = ()) -> None:
    """Write `data` as `rel` in a fresh copy of the base project (less `delete`), then check it."""
    root = fresh_project(factory)
    for name in delete:
        (root / name).unlink()
    write(root, rel, data)
    assert_loads_or_located(root)


@SETTINGS
@given(data=yaml_inputs(SITE_KEYS, site_docs))
def test_any_site_yaml(tmp_path_factory: pytest.TempPathFactory, data: str | bytes) -> None:
    check_with_file(tmp_path_factory, "content/site.yaml", data)


@SETTINGS
@given(data=yaml_inputs(CURRICULUM_KEYS, curriculum_docs))
def test_any_curriculum_yaml(tmp_path_factory: pytest.TempPathFactory, data: str | bytes) -> None:
    check_with_file(tmp_path_factory, "content/curriculum.yaml", data)


@SETTINGS
@given(data=skill_files)
def test_any_skill_markdown(tmp_path_factory: pytest.TempPathFactory, data: str | bytes) -> None:
    check_with_file(tmp_path_factory, "content/skills/economy/beta.md", data)


@SETTINGS
@given(body=markdown_bodies)
def test_any_markdown_body_of_a_valid_skill(tmp_path_factory: pytest.TempPathFactory, body: str) -> None:
    check_with_file(tmp_path_factory, "content/skills/economy/alpha.md", skill_file({"title": "甲", "category": "economy"}, body))


@SETTINGS
@given(data=csv_files)
def test_any_roster_csv(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    check_with_file(tmp_path_factory, "content/cadres.csv", data, delete=("content/cadres.yaml",))


@SETTINGS
@given(data=yaml_inputs(SERVICE_KEYS, services_docs))
def test_any_services_yaml(tmp_path_factory: pytest.TempPathFactory, data: str | bytes) -> None:
    check_with_file(tmp_path_factory, "content/services.yaml", data)


@SETTINGS
@given(data=yaml_inputs(["skill", "exam", "questions", *QUESTION_KEYS], bank_docs))
def test_any_bank(tmp_path_factory: pytest.TempPathFactory, data: str | bytes) -> None:
    check_with_file(tmp_path_factory, "quizzes/alpha.yaml", data)


# ---------------------------------------------------------------- properties of the GIFT and Aiken imports


def assert_import_is_sound(result: Imported, text: str, factory: pytest.TempPathFactory) -> None:
    """Skipped questions name a line of the file; imported ones load as a valid bank."""
    assert isinstance(result, Imported)
    last = len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))  # CR alone ends a line too
    for skipped in result.skipped:
        assert 1 <= skipped.line <= last, skipped
        assert skipped.message.strip()
    if not result.questions:
        return
    folder = factory.mktemp("import")
    path = folder / "imported.yaml"
    path.write_text(dump({"skill": "imported", "questions": result.questions}), "utf-8")
    diags = Diagnostics(folder)
    bank = load_bank(path, {"imported": (1, 2, 3)}, {1, 2, 3}, diags)
    assert [str(d) for d in diags.errors] == []
    assert bank is not None and len(bank.questions) == len(result.questions)


@SETTINGS
@given(text=st.one_of(st.text(max_size=300), token_text(GIFT_TOKENS, [])))
def test_any_gift_text(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    assert_import_is_sound(parse_gift(text), text, tmp_path_factory)


@SETTINGS
@given(text=st.one_of(st.text(max_size=300), token_text(AIKEN_TOKENS, [])))
def test_any_aiken_text(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    assert_import_is_sound(parse_aiken(text), text, tmp_path_factory)
