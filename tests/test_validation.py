"""Every content error kind, with the exact located message, reported all at once with exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.errors import ProjectError
from generator.project import load_project
from generator.render.site import check_project

from .conftest import MakeProject


def errors_of(root: Path) -> list[str]:
    """Return the error lines `cadre check` reports for the project in `root`."""
    with pytest.raises(ProjectError) as info:
        check_project(root)
    return [str(d) for d in info.value.errors]


CASES: list[tuple[str, dict[str, str | bytes | None], list[str]]] = [
    (
        "unknown key in site.yaml with a suggestion",
        {"content/site.yaml": "title: 站点\nlocal: en\n"},
        ["content/site.yaml:2:1: error: unknown key 'local' in site.yaml; did you mean 'locale'?"],
    ),
    (
        "missing title",
        {"content/site.yaml": "locale: en\n"},
        ["content/site.yaml:1:1: error: site.yaml is missing required key 'title'"],
    ),
    (
        "bad locale",
        {"content/site.yaml": "title: 站点\nlocale: fr\n"},
        ["content/site.yaml:2:9: error: locale must be one of zh-CN, en, not 'fr'"],
    ),
    (
        "invalid YAML",
        {"content/site.yaml": "title: [站点\n"},
        ["content/site.yaml:2:1: error: invalid YAML: did not find expected ',' or ']'"],
    ),
    (
        "duplicate YAML key",
        {"content/site.yaml": "title: 甲\ntitle: 乙\n"},
        ["content/site.yaml:2:1: error: duplicate key 'title'"],
    ),
    (
        "wrong type in front matter",
        {"content/skills/economy/alpha.md": "---\ntitle: 甲\ncategory: economy\nhours: 很多\n---\n正文\n"},
        ["content/skills/economy/alpha.md:4:8: error: 'hours' must be a whole number, not text"],
    ),
    (
        "unknown front matter key",
        {"content/skills/economy/alpha.md": "---\ntitle: 甲\ncategory: economy\ntag: [a]\n---\n正文\n"},
        ["content/skills/economy/alpha.md:4:1: error: unknown key 'tag' in skill front matter; did you mean 'tags'?"],
    ),
    (
        "missing category",
        {"content/skills/economy/alpha.md": "---\ntitle: 甲\n---\n正文\n"},
        ["content/skills/economy/alpha.md:2:1: error: skill front matter is missing required key 'category'"],
    ),
    (
        "unknown category",
        {"content/skills/farming/beta.md": "---\ntitle: 乙\ncategory: farming\n---\n正文\n"},
        ["content/skills/farming/beta.md:3:11: error: unknown category 'farming'"],
    ),
    (
        "category disagrees with folder",
        {"content/skills/economy/beta.md": "---\ntitle: 乙\ncategory: stability\n---\n正文\n"},
        ["content/skills/economy/beta.md:3:11: error: category 'stability' does not match the folder 'economy' the skill is in"],
    ),
    (
        "unknown prerequisite",
        {"content/skills/economy/beta.md": "---\ntitle: 乙\ncategory: economy\nprerequisites: [alpah]\n---\n正文\n"},
        ["content/skills/economy/beta.md:4:17: error: unknown prerequisite skill 'alpah'; did you mean 'alpha'?"],
    ),
    (
        "level the curriculum does not offer",
        {"content/skills/economy/beta.md": "---\ntitle: 乙\ncategory: economy\nlevels: [1, 4]\n---\n正文\n"},
        ["content/skills/economy/beta.md:4:13: error: level 4 is not one of the curriculum's levels (1, 2, 3)"],
    ),
    (
        "duplicate skill id",
        {"content/skills/stability/alpha.md": "---\ntitle: 甲二\ncategory: stability\n---\n正文\n"},
        ["content/skills/stability/alpha.md:1:1: error: duplicate skill id 'alpha' (also used by content/skills/economy/alpha.md)"],
    ),
    (
        "bad skill id",
        {"content/skills/economy/Beta_1.md": "---\ntitle: 乙\ncategory: economy\n---\n正文\n"},
        ["content/skills/economy/Beta_1.md:1:1: error: skill id 'Beta_1' must use only a-z, 0-9 and '-' (rename the file or set 'id')"],
    ),
    (
        "unknown required skill",
        {"content/curriculum.yaml": "categories:\n  - {id: economy, title: 经济}\nrequired:\n  all: [alpha, gamma]\n"},
        ["content/curriculum.yaml:4:16: error: unknown skill 'gamma'"],
    ),
    (
        "unknown required skill by post",
        {"content/curriculum.yaml": "categories:\n  - {id: economy, title: 经济}\nrequired:\n  posts:\n    平安助理: [alhpa]\n"},
        ["content/curriculum.yaml:5:12: error: unknown skill 'alhpa'; did you mean 'alpha'?"],
    ),
    (
        "duplicate category id",
        {"content/curriculum.yaml": "categories:\n  - {id: economy, title: 经济}\n  - {id: economy, title: 又一个}\n"},
        ["content/curriculum.yaml:3:10: error: duplicate category id 'economy' (first defined at line 2)"],
    ),
    (
        "pass mark over 100",
        {"content/curriculum.yaml": "categories:\n  - {id: economy, title: 经济}\nlevels:\n  - {id: 1, name: 初级, pass_mark: 160, issuer: 乡镇, validity_years: 3}\n"},
        ["content/curriculum.yaml:4:34: error: pass_mark is a percentage from 0 to 100, not 160"],
    ),
    (
        "non-UTF-8 Markdown",
        {"content/skills/economy/alpha.md": "---\ntitle: 甲\ncategory: economy\n---\n正文\n".encode("gb18030")},
        ["content/skills/economy/alpha.md:2:8: error: file is not UTF-8 text; save it as UTF-8"],
    ),
    (
        "broken relative link",
        {"content/skills/economy/alpha.md": "---\ntitle: 甲\ncategory: economy\n---\n\n见[乙](beta.md)。\n"},
        ["content/skills/economy/alpha.md:6:6: error: broken link: 'beta.md' does not exist (content/skills/economy/beta.md)"],
    ),
    (
        "missing image",
        {"content/skills/economy/alpha.md": "---\ntitle: 甲\ncategory: economy\n---\n\n![图](images/a.svg)\n"},
        ["content/skills/economy/alpha.md:6:6: error: broken image: 'images/a.svg' does not exist (content/skills/economy/images/a.svg)"],
    ),
    (
        "broken anchor",
        {"content/skills/economy/alpha.md": "---\ntitle: 甲\ncategory: economy\n---\n\n## 第一节\n\n见[上文](#第二节)。\n"},
        ["content/skills/economy/alpha.md:8:7: error: broken anchor: '#第二节' is not a heading of content/skills/economy/alpha.md"],
    ),
    (
        "link leaving the project",
        {"content/skills/economy/alpha.md": "---\ntitle: 甲\ncategory: economy\n---\n\n[密码](../../../../etc/passwd)\n"},
        ["content/skills/economy/alpha.md:6:6: error: link '../../../../etc/passwd' points outside the content folder"],
    ),
    (
        "unclosed front matter",
        {"content/skills/economy/alpha.md": "---\ntitle: 甲\ncategory: economy\n正文\n"},
        ["content/skills/economy/alpha.md:1:1: error: front matter starts with '---' but has no closing '---' line"],
    ),
    (
        "unknown elective and duplicate cadre",
        {"content/cadres.yaml": (
            "- {id: c1, name: 甲, township: 甲乡, post: 干事, duties: 值班, phone: '100', electives: [alpah]}\n"
            "- {id: c1, name: 乙, township: 甲乡, post: 干事, duties: 值班, phone: '101'}\n"
        )},
        [
            "content/cadres.yaml:1:83: error: unknown elective skill 'alpah'; did you mean 'alpha'?",
            "content/cadres.yaml:2:8: error: duplicate cadre id 'c1' (first used at line 1)",
        ],
    ),
    (
        "unknown service skill and category",
        {"content/services.yaml": "- id: s1\n  title: 服务\n  category: ecnomy\n  skills: [gamma]\n"},
        [
            "content/services.yaml:3:13: error: unknown category 'ecnomy'; did you mean 'economy'?",
            "content/services.yaml:4:12: error: unknown skill 'gamma'",
        ],
    ),
    (
        "guide without title",
        {"content/guides/rules.md": "---\nsummary: 规则\n---\n正文\n"},
        ["content/guides/rules.md:2:1: error: guide front matter is missing required key 'title'"],
    ),
]


@pytest.mark.parametrize(("name", "files", "expected"), CASES, ids=[c[0] for c in CASES])
def test_error_kind(make_project: MakeProject, name: str, files: dict[str, str | bytes | None], expected: list[str]) -> None:
    assert errors_of(make_project(files)) == expected


def test_all_errors_reported_in_one_run(make_project: MakeProject) -> None:
    root = make_project(
        {
            "content/site.yaml": "title: 站点\nlocal: en\n",
            "content/skills/economy/beta.md": "---\ntitle: 乙\ncategory: economy\nhours: 很多\n---\n[x](nope.md)\n",
            "content/services.yaml": "- {id: s1, title: 服务, category: nope}\n",
        }
    )
    errors = errors_of(root)
    assert len(errors) == 4
    assert [e.split(":")[0] for e in errors] == [
        "content/services.yaml", "content/site.yaml", "content/skills/economy/beta.md", "content/skills/economy/beta.md",
    ]
    # The Markdown is checked too, though loading found errors (SPEC §9: every error in one run).
    assert "content/skills/economy/beta.md:6:5: error: broken link: 'nope.md' does not exist" in errors[3]


def test_cli_check_prints_errors_and_exits_2(make_project: MakeProject) -> None:
    root = make_project({"content/site.yaml": "title: 站点\nlocal: en\n"})
    result = CliRunner().invoke(main, ["check", "--project", str(root)], catch_exceptions=False)
    assert result.exit_code == 2
    assert "content/site.yaml:2:1: error: unknown key 'local'" in result.output
    assert "Traceback" not in result.output
    assert "Found 1 error; nothing was written." in result.output


def test_valid_minimal_project_loads(make_project: MakeProject) -> None:
    project = load_project(make_project())
    assert list(project.skills) == ["alpha"]
    skill = project.skills["alpha"]
    assert skill.levels == (1, 2, 3)
    assert project.curriculum.levels[1].pass_mark == 75
    assert project.curriculum.required_for() == ("alpha",)


def test_extra_key_is_allowed(make_project: MakeProject) -> None:
    root = make_project({"content/site.yaml": "title: 站点\nextra:\n  anything: [1, 2]\n"})
    assert load_project(root).site.extra == {"anything": [1, 2]}


def test_warnings_for_missing_phone(make_project: MakeProject) -> None:
    root = make_project({"content/cadres.yaml": "- {id: c1, name: 甲, township: 甲乡, post: 干事, duties: 值班}\n"})
    _, _, diags = check_project(root)
    assert [str(w) for w in diags.warnings if "phone" in str(w)] == [
        "content/cadres.yaml:1:3: warning: cadre 'c1' (甲) has no phone number; the guide will print a gap"
    ]


def test_post_and_township_names_must_be_safe_folder_names(make_project: MakeProject) -> None:
    root = make_project(
        {
            "content/curriculum.yaml": "categories:\n  - {id: economy, title: 经济}\nrequired:\n  posts:\n    ../etc: [alpha]\n",
            "content/cadres.yaml": "- {id: c1, name: 甲, township: 云溪/乡, post: 干事, duties: 值班, phone: '100'}\n",
        }
    )
    assert errors_of(root) == [
        "content/cadres.yaml:1:31: error: '云溪/乡' cannot be used as a post or township name (it becomes a web address): "
        "avoid / \\ : * ? \" < > | # % and a leading '.'",
        "content/curriculum.yaml:5:5: error: '../etc' cannot be used as a post or township name (it becomes a web address): "
        "avoid / \\ : * ? \" < > | # % and a leading '.'",
    ]
