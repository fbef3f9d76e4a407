"""Moodle GIFT and Aiken imports: every mappable question type, every skip reason, with its line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.errors import Diagnostics
from generator.quiz.bank import load_bank
from generator.quiz.imports import Imported, Skipped, detect_format, parse_aiken, parse_gift

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"


def read(name: str) -> str:
    return (FIXTURES / name).read_text("utf-8")


T1 = ["接种"]
T2 = ["出菇管理"]

SAMPLE_GIFT: list[dict[str, Any]] = [
    # single: one '=' answer; feedback of the right answer first, then the others, then the general feedback
    {"id": "inoculation-temp", "level": 1, "type": "single", "prompt": "香菇菌棒接种时,适宜的气温一般是多少?",
     "options": ["5℃以下", "15–25℃", "30–35℃"], "answer": "B",
     "explanation": "对:菌丝萌发快,杂菌少。\n太冷,菌丝几乎不萌发。\n太热,杂菌容易污染。\n接种温度以15–25℃为宜。", "tags": T1},
    # multiple: the positive %weights are the right letters
    {"id": "sterilize-steps", "level": 1, "type": "multiple", "prompt": "常压灭菌时,下列做法正确的有哪些?",
     "options": ["装锅后猛火升温", "100℃保持16–20小时", "灭菌一结束就开锅取袋"], "answer": "AB", "scoring": "partial",
     "explanation": "要在4小时内升到100℃。\n应焖锅一段时间再出锅。", "tags": T1},
    # '=' beside %weights: Moodle's one-answer question; the 50% option counts as wrong
    {"id": "q003", "level": 1, "type": "single", "prompt": "菌袋发菌期间,室内的空气相对湿度宜保持在多少?",
     "options": ["60%–70%", "75%左右", "90%以上"], "answer": "A", "tags": T1},
    # '=%50%' answers with no 100% one: several right answers
    {"id": "q004", "level": 1, "type": "multiple", "prompt": "下列属于香菇栽培原料的有:",
     "options": ["杂木屑", "麦麸", "塑料颗粒"], "answer": "AB", "scoring": "partial", "tags": T1},
    # true/false in its four spellings; {TRUE#wrong-answer feedback#right-answer feedback}
    {"id": "tf-true", "level": 1, "type": "truefalse", "prompt": "香菇属于真菌。", "answer": True, "tags": T2},
    {"id": "tf-true-2", "level": 1, "type": "truefalse", "prompt": "出菇期要保持通风。", "answer": True,
     "explanation": "对:通风保证氧气充足。\n不对:出菇期缺氧会长畸形菇。", "tags": T2},
    {"id": "tf-f", "level": 1, "type": "truefalse", "prompt": "香菇是绿色植物,能进行光合作用。", "answer": False, "tags": T2},
    {"id": "tf-false", "level": 1, "type": "truefalse", "prompt": "菌棒转色越快越好,转色期不需要光照。", "answer": False,
     "explanation": "转色需要散射光。", "tags": T2},
    # text after '}' is appended to the prompt
    {"id": "q009", "level": 1, "type": "truefalse", "prompt": "香菇是植物。请判断。", "answer": False, "tags": T2},
    # short answer: one blank appended; the 50% alternative and its feedback dropped
    {"id": "q010", "level": 1, "type": "fill", "prompt": "我国的首都是哪座城市? ____", "answer": [["北京", "北京市"]],
     "explanation": "对。", "tags": T2},
    # missing-word short answer: the blank where the braces were
    {"id": "q011", "level": 1, "type": "fill", "prompt": "香菇属于____界的生物。", "answer": [["真菌", "菌类"]], "tags": T2},
    # the prompt already has its blank
    {"id": "q012", "level": 1, "type": "fill", "prompt": "菌棒含水量一般控制在 ____ 左右。", "answer": ["55%"], "tags": T2},
    # numeric: answer:tolerance, min..max (midpoint, half range), several answers (the 100% one), exact
    {"id": "numeric-tol", "level": 1, "type": "numeric", "prompt": "香菇菌棒的适宜含水量约为百分之几?",
     "answer": 55, "tolerance": 5, "tags": T2},
    {"id": "numeric-range", "level": 1, "type": "numeric", "prompt": "菌棒含水量用小数表示,一般在什么范围?",
     "answer": 0.55, "tolerance": 0.05, "tags": T2},
    {"id": "numeric-int-range", "level": 1, "type": "numeric", "prompt": "出菇适温是多少摄氏度?",
     "answer": 15, "tolerance": 3, "tags": T2},
    {"id": "numeric-multi", "level": 1, "type": "numeric", "prompt": "菌棒的酸碱度(pH)一般调到多少?",
     "answer": 5.5, "tolerance": 0.5, "explanation": "对,微酸性。", "tags": T2},
    {"id": "numeric-exact", "level": 1, "type": "numeric", "prompt": "一亩地大约是多少平方米?",
     "answer": 666.67, "tolerance": 0, "tags": T2},
    {"id": "q018", "level": 1, "type": "numeric", "prompt": "接种时气温宜为____℃左右。", "answer": 20, "tolerance": 5, "tags": T2},
    # matching
    {"id": "match-pairs", "level": 1, "type": "match", "prompt": "把病害和防治办法配对。",
     "pairs": [["绿霉", "挖除病部,撒石灰粉"], ["烂棒", "降低湿度,加强通风"], ["畸形菇", "增加氧气和散射光"]], "tags": T2},
    # missing word: a single choice whose prompt has the gap
    {"id": "q020", "level": 1, "type": "single", "prompt": "香菇菌棒一般在____接种。",
     "options": ["春季", "秋季", "盛夏"], "answer": "B", "tags": T2},
    # every escape; the title "Escape : All" does not make an id
    {"id": "q021", "level": 1, "type": "single",
     "prompt": "GIFT 里要写字面的 {、}、~、=、#、: 和 \\ 时,要在前面加反斜杠。\n换行也可以。",
     "options": ["加反斜杠 \\", "不用管 ~ 直接写"], "answer": "A",
     "explanation": "对: 例如 { 写成 \\{。\n错,= 和 ~ 会被当成答案标记。", "tags": T2},
    # format markers removed from question, answers and general feedback
    {"id": "q022", "level": 1, "type": "single", "prompt": "**香菇**的学名是 *Lentinula edodes*。",
     "options": ["<b>对</b>", "不对"], "answer": "A", "explanation": "学名见教材。", "tags": T2},
    # a Chinese title gives no id
    {"id": "q023", "level": 1, "type": "truefalse", "prompt": "香菇是一种食用菌。", "answer": True, "tags": T2},
    # a repeated title gets -2
    {"id": "inoculation-temp-2", "level": 1, "type": "single", "prompt": "种菌的菌龄一般以多少天为宜?",
     "options": ["30–40天", "5–10天"], "answer": "A", "tags": T2},
]

BAD_GIFT_SKIPPED = [
    Skipped(3, "essay question: cadre has no essay type"),
    Skipped(5, "description (no answers in {…}): cadre has no description type"),
    Skipped(7, "embedded answers (Cloze) question: cadre has no cloze type"),
    Skipped(9, "matching question with 1 pair: it needs at least 2"),
    Skipped(11, "multiple choice with no right answer (mark it with '=', or weights like ~%50%)"),
    Skipped(13, "'{' is never closed with '}' (write a literal brace as \\{)"),
    Skipped(15, "'}' comes before any '{' (write a literal brace as \\})"),
    Skipped(17, "more than one {…} answer block (write literal braces as \\{ and \\})"),
    Skipped(19, "the title starts with '::' but has no closing '::'"),
    Skipped(21, "write a true/false answer in capitals: {T}, {TRUE}, {F} or {FALSE}"),
    Skipped(23, "numeric answer '约666' is not a number"),
    Skipped(25, "numeric question with no 100% answer"),
    Skipped(27, "short answer with no 100% answer"),
    Skipped(29, "multiple choice with 2 answers marked fully right: a single choice has one right answer "
                "(weight several right answers like ~%50% to make a multiple-answer question)"),
    Skipped(31, "answer weight '%abc%' is not a number like %50%"),
    Skipped(33, "numeric range '25..15' has its minimum above its maximum"),
    Skipped(35, "matching pair '烂棒' has no '->' (write =left -> right)"),
    Skipped(37, "matching question with an extra answer (a pair with no left side): cadre's match has no distractors"),
    Skipped(39, "matching question whose left sides or right sides repeat: cadre needs them all different"),
    Skipped(41, "multiple choice with 1 answer: it needs at least 2"),
    Skipped(43, "answer '对' does not start with '='"),
    Skipped(45, "numeric question with 2 answers at 100%: cadre's numeric has one answer and tolerance"),
    Skipped(47, "numeric answer '5:-1' has a negative tolerance"),
    Skipped(49, "multiple choice with an empty answer"),
    Skipped(51, "numeric value 0.12345678901234567890123 has more digits than cadre can store exactly"),
    Skipped(53, "short answer whose text has 2 blanks '____': it has answers for one blank"),
    Skipped(55, "the question has no text besides its answers"),
]

SAMPLE_AIKEN: list[dict[str, Any]] = [
    {"id": "q001", "level": 1, "type": "single", "prompt": "香菇菌棒接种时,适宜的气温一般是多少?",
     "options": ["5℃以下", "15–25℃", "30–35℃", "40℃以上"], "answer": "B"},
    {"id": "q002", "level": 1, "type": "single", "prompt": "Which LMS has the most quiz import formats?",
     "options": ["Moodle", "ATutor", "Claroline"], "answer": "A"},
    {"id": "q003", "level": 1, "type": "single", "prompt": "出菇期管理的重点是什么?\n(可以写成几行)",
     "options": ["控温、保湿、通风、增光", "只浇水"], "answer": "A"},
    {"id": "q011", "level": 1, "type": "single", "prompt": "最后一题正常", "options": ["对", "错"], "answer": "B"},
]

SAMPLE_AIKEN_SKIPPED = [
    Skipped(20, "no 'ANSWER: X' line after the options"),
    Skipped(24, "answer C is not among the options A–B"),
    Skipped(29, "the answer line must read 'ANSWER: X' with one capital letter, not 'answer: b'"),
    Skipped(34, "an 'ANSWER:' line with no question and options before it"),
    Skipped(36, "options must be lettered A, B in order, not A, C"),
    Skipped(41, "1 option: a question needs at least 2"),
    Skipped(45, "options with no question text before them"),
    Skipped(49, "question text with no options and no 'ANSWER: X' line"),
]


def test_sample_gift_maps_every_kind_exactly() -> None:
    result = parse_gift(read("sample.gift"))
    assert result.skipped == []
    assert len(result.questions) == len(SAMPLE_GIFT)
    for got, want in zip(result.questions, SAMPLE_GIFT, strict=True):
        assert got == want
        assert list(got) == list(want), "keys in the bank's order"


def test_numbers_are_ints_or_exact_floats() -> None:
    numeric = [q for q in parse_gift(read("sample.gift")).questions if q["type"] == "numeric"]
    kinds = [(type(q["answer"]), type(q["tolerance"])) for q in numeric]
    assert kinds == [(int, int), (float, float), (int, int), (float, float), (float, int), (int, int)]


def test_bad_gift_reports_each_question_with_its_line() -> None:
    result = parse_gift(read("bad.gift"))
    assert result.skipped == BAD_GIFT_SKIPPED
    assert result.questions == [{"id": "good", "level": 1, "type": "truefalse", "prompt": "香菇属于真菌。", "answer": True}]


def test_sample_aiken() -> None:
    result = parse_aiken(read("sample.aiken.txt"))
    assert result.questions == SAMPLE_AIKEN
    assert result.skipped == SAMPLE_AIKEN_SKIPPED


@pytest.mark.parametrize("name", ["sample.gift", "bad.gift", "sample.aiken.txt"])
def test_ids_are_unique_and_valid(name: str) -> None:
    parse = parse_aiken if name.endswith(".txt") else parse_gift
    ids = [q["id"] for q in parse(read(name)).questions]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", i) for i in ids)


def test_level_argument_and_no_practice_key() -> None:
    for result in (parse_gift(read("sample.gift"), level=2), parse_aiken(read("sample.aiken.txt"), level=2)):
        assert {q["level"] for q in result.questions} == {2}
        assert not any("practice" in q for q in result.questions)


def test_imported_questions_load_as_a_valid_bank(tmp_path: Path) -> None:
    questions = parse_gift(read("sample.gift")).questions + [
        {**q, "id": f"aiken-{q['id']}"} for q in parse_aiken(read("sample.aiken.txt")).questions
    ]
    path = tmp_path / "shiitake.yaml"
    path.write_text(yaml.safe_dump({"skill": "shiitake", "questions": questions}, allow_unicode=True), "utf-8")
    diags = Diagnostics(tmp_path)
    bank = load_bank(path, {"shiitake": (1, 2, 3)}, {1, 2, 3}, diags)
    assert [str(d) for d in diags.items] == []
    assert bank is not None and len(bank.questions) == len(questions)


@pytest.mark.parametrize(
    ("name", "fixture", "expected"),
    [
        ("sample.gift", "sample.gift", "gift"),
        ("SAMPLE.GIFT", "sample.aiken.txt", "gift"),
        ("sample.aiken.txt", "sample.aiken.txt", "aiken"),
        ("questions.TXT", "sample.aiken.txt", "aiken"),
        ("questions.txt", "sample.gift", "gift"),
        ("questions.txt", "bad.gift", "gift"),
    ],
)
def test_detect_format(name: str, fixture: str, expected: str) -> None:
    assert detect_format(name, read(fixture)) == expected


def gift(text: str) -> Imported:
    return parse_gift(text)


def test_category_comments_and_line_endings() -> None:
    text = (
        "\ufeff// 开头的注释\r\n"
        "$CATEGORY: 香菇栽培\r\n"
        "// 题目之前的注释\r\n"
        "::A B::第一行\r\n"
        "// 题目中间的注释不会切开题目\r\n"
        "第二行{T}\r\n"
        "\r\n"
        "$CATEGORY: $course$/top\r\n"
        "\r\n"
        "没有分类{F}\r\n"
    )
    result = gift(text)
    assert result.questions == [
        {"id": "a-b", "level": 1, "type": "truefalse", "prompt": "第一行\n第二行", "answer": True, "tags": ["香菇栽培"]},
        {"id": "q002", "level": 1, "type": "truefalse", "prompt": "没有分类", "answer": False},
    ]


def test_moodle_category_path_with_a_slash_in_a_name() -> None:
    result = gift("$CATEGORY: $course$/top/技能//方法\n\n题{T}\n")
    assert result.questions[0]["tags"] == ["技能/方法"]


def test_positional_ids_count_skipped_questions_and_never_collide() -> None:
    result = gift("::q002::甲{T}\n\n乙{}\n\n丙{F}\n\n丁{T}\n")
    assert [q["id"] for q in result.questions] == ["q002", "q003", "q004"]
    result = gift("::q002::甲{T}\n\n乙{F}\n")
    assert [q["id"] for q in result.questions] == ["q002", "q002-2"]


def test_several_line_answers_and_feedback_only_once() -> None:
    result = gift(
        "::Q2:: What's between orange and green in the spectrum?\n"
        "{ =yellow # right; good! ~red # wrong, it's yellow ~blue # wrong, it's yellow }\n"
    )
    assert result.questions == [
        {"id": "q2", "level": 1, "type": "single", "prompt": "What's between orange and green in the spectrum?",
         "options": ["yellow", "red", "blue"], "answer": "A", "explanation": "right; good!\nwrong, it's yellow"}
    ]


def test_missing_word_in_english_keeps_the_spacing() -> None:
    result = gift(
        "The American holiday of Thanksgiving is celebrated on the {\n"
        "    ~second\n"
        "    ~third\n"
        "    =fourth\n"
        "} Thursday of November.\n"
    )
    assert result.questions[0]["prompt"] == "The American holiday of Thanksgiving is celebrated on the ____ Thursday of November."
    assert result.questions[0]["answer"] == "C"


def test_numeric_wrong_answer_feedback_and_general_feedback() -> None:
    result = gift("When was Grant born?{#\n=1822:0 # Correct!\n=%50%1822:2 # Close.\n~#Look it up.\n####Born 1822.}\n")
    assert result.questions == [
        {"id": "q001", "level": 1, "type": "numeric", "prompt": "When was Grant born?", "answer": 1822, "tolerance": 0,
         "explanation": "Correct!\nLook it up.\nBorn 1822."}
    ]


def test_general_feedback_alone_is_an_essay() -> None:
    assert gift("Write about it.{####A model answer.}\n").skipped == [Skipped(1, "essay question: cadre has no essay type")]


def test_aiken_without_blank_lines_between_questions() -> None:
    result = parse_aiken("问题一\nA. 甲\nB. 乙\nANSWER: A\n问题二\nA) 丙\nB) 丁\nANSWER: B\n")
    assert [(q["prompt"], q["answer"]) for q in result.questions] == [("问题一", "A"), ("问题二", "B")]
    assert result.skipped == []
