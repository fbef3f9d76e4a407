"""The roster from YAML, CSV (UTF-8, UTF-8 with BOM, GB18030) and XLSX, with located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import ProjectError
from generator.project import load_project

from .conftest import MakeProject

HEADER = "id,name,township,village,post,duties,phone,electives\n"
ROWS = (
    "c1,林雪梅,云溪乡,下坑村,农村指导员,联系下坑村,100-0000-0001,alpha\n"
    'c2,王建国,云溪乡,,办公室干事,"窗口值班,AB角",100-0000-0002,alpha;alpha\n'
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_every_encoding_excel_and_wps_save(make_project: MakeProject, encoding: str) -> None:
    root = make_project({"content/cadres.csv": (HEADER + ROWS).encode(encoding)})
    cadres = load_project(root).cadres
    assert [c.name for c in cadres] == ["林雪梅", "王建国"]
    assert cadres[1].duties == "窗口值班,AB角"
    assert cadres[1].village == ""
    assert cadres[0].electives == ("alpha",)


def test_csv_error_names_the_csv_line_and_column(make_project: MakeProject) -> None:
    bad = HEADER + ROWS + "c3,张三,云溪乡,,平安助理,巡查,100-0000-0003,alpah\nc1,重复,云溪乡,,,,,\n"
    root = make_project({"content/cadres.csv": bad.encode("gb18030")})
    with pytest.raises(ProjectError) as info:
        load_project(root)
    assert [str(d) for d in info.value.errors] == [
        "content/cadres.csv:4:8: error: unknown elective skill 'alpah'; did you mean 'alpha'?",
        "content/cadres.csv:5:1: error: duplicate cadre id 'c1' (first used at line 2)",
    ]


def test_csv_quoted_line_breaks_keep_line_numbers(make_project: MakeProject) -> None:
    text = HEADER + 'c1,甲,云溪乡,,干事,"第一行\n第二行",100,\nc2,乙,云溪乡,,干事,值班,101,nope\n'
    root = make_project({"content/cadres.csv": text})
    with pytest.raises(ProjectError) as info:
        load_project(root)
    assert [str(d) for d in info.value.errors] == ["content/cadres.csv:4:8: error: unknown elective skill 'nope'"]


def test_csv_unknown_column_is_an_error(make_project: MakeProject) -> None:
    root = make_project({"content/cadres.csv": "id,name,township,mobile\nc1,甲,云溪乡,100\n"})
    with pytest.raises(ProjectError) as info:
        load_project(root)
    assert [str(d) for d in info.value.errors] == [
        "content/cadres.csv:2:4: error: unknown key 'mobile' in a roster row; allowed keys: "
        "duties, electives, id, name, phone, post, township, village"
    ]


def test_xlsx_roster_with_phone_typed_as_a_number(make_project: MakeProject, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "name", "township", "post", "duties", "phone", "electives"])
    sheet.append(["c1", "林雪梅", "云溪乡", "农村指导员", "驻村", 10000000001, "alpha"])
    sheet.append(["c2", "王建国", "云溪乡", "干事", "值班", "100-0000-0002", "gamma"])
    root = make_project()
    book.save(root / "content" / "cadres.xlsx")
    with pytest.raises(ProjectError) as info:
        load_project(root)
    assert [str(d) for d in info.value.errors] == ["content/cadres.xlsx:3:7: error: unknown elective skill 'gamma'"]
    sheet.delete_rows(3)
    book.save(root / "content" / "cadres.xlsx")
    cadres = load_project(root).cadres
    assert cadres[0].phone == "10000000001"


def test_two_roster_files_are_an_error(make_project: MakeProject) -> None:
    root = make_project({"content/cadres.csv": HEADER + ROWS, "content/cadres.yaml": "- {id: c9, name: 甲, township: 乙乡}\n"})
    with pytest.raises(ProjectError) as info:
        load_project(root)
    assert "more than one roster file (cadres.yaml, cadres.csv); keep exactly one" in str(info.value.errors[0])


def test_yaml_roster_must_be_a_list(make_project: MakeProject) -> None:
    root = make_project({"content/cadres.yaml": "id: c1\nname: 甲\n"})
    with pytest.raises(ProjectError) as info:
        load_project(root)
    assert [str(d) for d in info.value.errors] == [
        "content/cadres.yaml:1:1: error: cadres.yaml must be a list of cadres (each line starting with '- id: ...')"
    ]
