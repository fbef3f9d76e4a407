"""A fixture project whose bank has every question type, practice and exam-only, with marked text."""

from __future__ import annotations

BANK = """
skill: alpha
exam:
  1: {minutes: 20, attempts: 2, draw: [{level: 1, count: 3}]}
questions:
  - id: s1
    level: 1
    type: single
    prompt: 练习单选 PRACTICE-SINGLE
    options: [甲选项, 乙选项, 丙选项]
    answer: B
    explanation: 选乙 PRACTICE-EXPLAIN
    practice: true
  - id: m1
    level: 1
    type: multiple
    prompt: 练习多选
    options: [一, 二, 三, 四]
    answer: ACD
    points: 3
    explanation: 一三四
    practice: true
  - id: t1
    level: 1
    type: truefalse
    prompt: 练习判断
    answer: false
    explanation: 错
    practice: true
  - id: f1
    level: 1
    type: fill
    prompt: 含水量 ____ %,温度 ____ ℃。
    answer: [["55", 五十五], "20"]
    explanation: 五十五与二十
    practice: true
  - id: n1
    level: 1
    type: numeric
    prompt: 灭菌温度
    answer: 100
    tolerance: 2
    unit: ℃
    explanation: 一百度
    practice: true
  - id: o1
    level: 1
    type: order
    prompt: 排序
    items: [受理, 调查, 调解, 回访]
    explanation: 先受理
    practice: true
  - id: p1
    level: 1
    type: match
    prompt: 连线
    pairs: [[蓝色, 一般], [黄色, 较重], [红色, 特别严重]]
    points: 2
    explanation: 按颜色
    practice: true
  - id: x1
    level: 1
    type: single
    prompt: EXAMONLY-PROMPT-ONE 考试专用题
    options: [EXAMONLY-OPTION-A, EXAMONLY-OPTION-B]
    answer: A
    explanation: EXAMONLY-EXPLANATION
  - id: x2
    level: 1
    type: fill
    prompt: EXAMONLY-PROMPT-TWO ____
    answer: [EXAMONLY-ANSWER-FILL]
  - id: x3
    level: 1
    type: match
    prompt: EXAMONLY-PROMPT-THREE
    pairs: [[EXAMONLY-LEFT-1, EXAMONLY-RIGHT-1], [EXAMONLY-LEFT-2, EXAMONLY-RIGHT-2]]
"""

EXAM_ONLY_TEXTS = [
    "EXAMONLY-PROMPT-ONE", "EXAMONLY-OPTION-A", "EXAMONLY-OPTION-B", "EXAMONLY-EXPLANATION",
    "EXAMONLY-PROMPT-TWO", "EXAMONLY-ANSWER-FILL", "EXAMONLY-PROMPT-THREE", "EXAMONLY-LEFT-1", "EXAMONLY-RIGHT-2",
    "考试专用题",
]
