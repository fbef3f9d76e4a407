"""Item and test statistics (generator/quiz/stats.py, docs/statistics.md), checked against hand-worked numbers.

Notation in the comments: x = the question's fraction earned, y = the rest of the attempt as a
fraction of the rest's points, Sxy = Σ(x - x̄)(y - ȳ) (so the sample covariance is Sxy / (n - 1),
and the n - 1 cancels in every ratio below), r = Sxy / √(Sxx·Syy).
"""

from __future__ import annotations

import math
import random
import statistics
from fractions import Fraction

import pytest

from generator.quiz import stats
from generator.quiz.stats import MIN_ATTEMPTS, ItemStats, Response, common_questions, item_stats

TOL = 1e-9


def approx(value: float) -> object:
    return pytest.approx(value, abs=TOL, rel=TOL)


def make(table: dict[str, dict[str, tuple[Fraction | int, Fraction | int]]]) -> list[Response]:
    """attempt id -> question id -> (earned, points)."""
    return [
        Response(attempt, question, Fraction(earned), Fraction(points))
        for attempt, row in table.items()
        for question, (earned, points) in row.items()
    ]


def zero_one(rows: dict[str, tuple[int, ...]], questions: tuple[str, ...]) -> list[Response]:
    """Right (1) or wrong (0) on 1-point questions."""
    return make({a: {q: (v, 1) for q, v in zip(questions, row, strict=True)} for a, row in rows.items()})


def by_id(items: list[ItemStats]) -> dict[str, ItemStats]:
    return {i.question_id: i for i in items}


# A 4-attempt, 3-question test, 1 point each:
#
#          q1 q2 q3  total  score
#     A     1  1  1    3    100 %
#     B     0  1  0    1     33⅓ %
#     C     0  0  1    1     33⅓ %
#     D     0  0  0    0      0 %
FOUR = zero_one({"A": (1, 1, 1), "B": (0, 1, 0), "C": (0, 0, 1), "D": (0, 0, 0)}, ("q1", "q2", "q3"))


def test_facility_and_sd_by_hand() -> None:
    items = by_id(item_stats(FOUR))
    assert [i.attempts for i in items.values()] == [4, 4, 4]
    # q1 = 1,0,0,0: mean 1/4 → facility 25 %.
    #   deviations 3/4, -1/4, -1/4, -1/4; Σ squares = 9/16 + 3·1/16 = 3/4; variance = (3/4)/3 = 1/4; SD = 1/2 → 50 %.
    assert items["q1"].facility == approx(25)
    assert items["q1"].sd == approx(50)
    # q2 = 1,1,0,0 and q3 = 1,0,1,0: mean 1/2 → 50 %.
    #   deviations ±1/2; Σ squares = 4·1/4 = 1; variance = 1/3; SD = √(1/3) = 0.57735… → 57.735 %.
    for q in ("q2", "q3"):
        assert items[q].facility == approx(50)
        assert items[q].sd == approx(100 * math.sqrt(1 / 3))


def test_discrimination_against_the_rest_by_hand() -> None:
    items = by_id(item_stats(FOUR))
    # q1: x = 1, 0, 0, 0; rest = q2 + q3 out of 2 points: y = 2/2, 1/2, 1/2, 0/2 = 1, 1/2, 1/2, 0.
    #   x̄ = 1/4, ȳ = 1/2; x - x̄ = 3/4, -1/4, -1/4, -1/4; y - ȳ = 1/2, 0, 0, -1/2.
    #   Sxy = 3/8 + 0 + 0 + 1/8 = 1/2; Sxx = 3/4; Syy = 1/4 + 1/4 = 1/2.
    #   r = (1/2) / √(3/4 · 1/2) = (1/2) / √(3/8) = √(2/3) = 0.81650 → 81.650 %.
    assert items["q1"].discrimination == approx(100 * math.sqrt(2 / 3))
    # q2: x = 1, 1, 0, 0; rest = q1 + q3: y = 2/2, 0/2, 1/2, 0/2 = 1, 0, 1/2, 0.
    #   x̄ = 1/2, ȳ = 3/8; x - x̄ = 1/2, 1/2, -1/2, -1/2; y - ȳ = 5/8, -3/8, 1/8, -3/8.
    #   Sxy = 5/16 - 3/16 - 1/16 + 3/16 = 1/4; Sxx = 1; Syy = (25 + 9 + 1 + 9)/64 = 11/16.
    #   r = (1/4) / √(11/16) = 1/√11 = 0.30151 → 30.151 %.
    assert items["q2"].discrimination == approx(100 / math.sqrt(11))
    # q3 mirrors q2: x = 1, 0, 1, 0; y = (q1 + q2)/2 = 1, 1/2, 0, 0; ȳ = 3/8; y - ȳ = 5/8, 1/8, -3/8, -3/8.
    #   Sxy = 5/16 - 1/16 - 3/16 + 3/16 = 1/4; Sxx = 1; Syy = 11/16 → r = 1/√11.
    assert items["q3"].discrimination == approx(100 / math.sqrt(11))


def test_efficiency_derives_the_maximum_by_hand() -> None:
    items = by_id(item_stats(FOUR))
    # q2: the most the covariance could be with these two sets of scores is when the lowest x goes
    #   with the lowest y, …: sorted x = 0, 0, 1, 1 and sorted y = 0, 0, 1/2, 1 (ȳ = 3/8).
    #   x - x̄ = -1/2, -1/2, 1/2, 1/2; y - ȳ = -3/8, -3/8, 1/8, 5/8.
    #   Sxy_max = 3/16 + 3/16 + 1/16 + 5/16 = 3/4, against the actual Sxy = 1/4 (above).
    #   efficiency = (1/4) / (3/4) = 1/3 → 33.333 %.
    #   Same thing as D / D_max: D_max = (3/4) / √(1 · 11/16) = 3/√11, and (1/√11) / (3/√11) = 1/3.
    assert items["q2"].efficiency == approx(100 / 3)
    assert items["q3"].efficiency == approx(100 / 3)
    d_max = 100 * 3 / math.sqrt(11)
    assert items["q2"].discrimination is not None
    assert 100 * items["q2"].discrimination / d_max == approx(100 / 3)
    # q1: sorted x = 0, 0, 0, 1; sorted y = 0, 1/2, 1/2, 1 — the attempts are already in that order
    #   (the one who got q1 right has the best rest, the one with the worst rest got it wrong, and the
    #   middle two tie), so Sxy_max = 3/8 + 0 + 0 + 1/8 = 1/2 = Sxy: efficiency 100 %.
    assert items["q1"].efficiency == approx(100)


def test_test_statistics_by_hand() -> None:
    t = stats.test_stats(FOUR)
    assert t.attempts == 4
    # Scores 100, 100/3, 100/3, 0: mean = (100 + 200/3)/4 = 125/3 = 41.667; median = (100/3 + 100/3)/2 = 33.333.
    assert t.mean == approx(125 / 3)
    assert t.median == approx(100 / 3)
    # Totals 3, 1, 1, 0: mean 5/4; deviations 7/4, -1/4, -1/4, -5/4; Σ squares = (49 + 1 + 1 + 25)/16 = 19/4;
    #   variance σ²ₜ = (19/4)/3 = 19/12. As a percentage of the 3 points: SD = (100/3)·√(19/12) = 41.944.
    assert t.sd == approx(100 / 3 * math.sqrt(19 / 12))
    # Cronbach's alpha: Σσ²ᵢ = 1/4 + 1/3 + 1/3 = 11/12 (the item variances above, in marks = fractions here);
    #   α = k/(k-1)·(1 - Σσ²ᵢ/σ²ₜ) = 3/2 · (1 - (11/12)/(19/12)) = 3/2 · 8/19 = 12/19 = 0.63158 → 63.158 %.
    assert t.alpha == approx(100 * 12 / 19)
    # Error ratio = √(1 - 12/19) = √(7/19) = 0.60698 → 60.698 %.
    assert t.error_ratio == approx(100 * math.sqrt(7 / 19))
    # Standard error = √(7/19) · (100/3)·√(19/12) = (100/3)·√(7/12) = 25.459 percentage points.
    assert t.standard_error == approx(100 / 3 * math.sqrt(7 / 12))


# Partial credit, questions of different worth, exact fractions:
#
#          p (2 points)   q (4 points)   total of 6
#     A     2   → 1        3 → 3/4       5    → 83⅓ %
#     B     1   → 1/2      1 → 1/4       2    → 33⅓ %
#     C     1/2 → 1/4      2 → 1/2       5/2  → 41⅔ %
PARTIAL = make({
    "A": {"p": (2, 2), "q": (3, 4)},
    "B": {"p": (1, 2), "q": (1, 4)},
    "C": {"p": (Fraction(1, 2), 2), "q": (2, 4)},
})


def test_partial_credit_items_by_hand() -> None:
    items = by_id(item_stats(PARTIAL))
    p, q = items["p"], items["q"]
    # p: x = 1, 1/2, 1/4; mean 7/12 → facility 58.333 %.
    #   x - x̄ = 5/12, -1/12, -4/12; Sxx = (25 + 1 + 16)/144 = 7/24; variance = (7/24)/2 = 7/48; SD = √(7/48) → 38.188 %.
    assert p.facility == approx(100 * 7 / 12)
    assert p.sd == approx(100 * math.sqrt(7 / 48))
    # q: x = 3/4, 1/4, 1/2; mean 1/2 → 50 %; Sxx = 1/16 + 1/16 + 0 = 1/8; variance 1/16; SD 1/4 → 25 %.
    assert q.facility == approx(50)
    assert q.sd == approx(25)
    # p against its rest (q's fraction): y = 3/4, 1/4, 1/2; y - ȳ = 1/4, -1/4, 0.
    #   Sxy = 5/12·1/4 + (-1/12)(-1/4) + 0 = 5/48 + 1/48 = 1/8; Sxx = 7/24; Syy = 1/8.
    #   r = (1/8) / √(7/24 · 1/8) = (1/8)·√(192/7) = √(3/7) = 0.65465 → 65.465 %. With two questions q's r is the same.
    assert p.discrimination == approx(100 * math.sqrt(3 / 7))
    assert q.discrimination == approx(100 * math.sqrt(3 / 7))
    # Efficiency of p: sorted x = 1/4, 1/2, 1 (x - x̄ = -4/12, -1/12, 5/12); sorted y = 1/4, 1/2, 3/4 (y - ȳ = -1/4, 0, 1/4).
    #   Sxy_max = 4/48 + 0 + 5/48 = 3/16; efficiency = (1/8) / (3/16) = 2/3 → 66.667 %.
    assert p.efficiency == approx(200 / 3)
    assert q.efficiency == approx(200 / 3)


def test_partial_credit_alpha_is_in_marks_as_moodle() -> None:
    t = stats.test_stats(PARTIAL)
    # Scores 250/3, 100/3, 125/3: mean = (475/3)/3 = 475/9 = 52.778; median = 125/3 = 41.667.
    assert t.mean == approx(475 / 9)
    assert t.median == approx(125 / 3)
    # Marks on p = 2, 1, 1/2: mean 7/6; deviations 5/6, -1/6, -4/6; Σ squares = 42/36; σ²_p = 7/12.
    # Marks on q = 3, 1, 2: mean 2; deviations 1, -1, 0; σ²_q = 2/2 = 1.
    # Totals 5, 2, 5/2: mean 19/6; deviations 11/6, -7/6, -4/6; Σ squares = (121 + 49 + 16)/36 = 31/6; σ²ₜ = 31/12.
    #   α = 2/1 · (1 - (7/12 + 1)/(31/12)) = 2 · (1 - 19/31) = 24/31 = 0.77419 → 77.419 %.
    #   On fractions instead (x_p + x_q = 7/4, 3/4, 3/4, variance 1/3; Σσ²ᵢ = 7/48 + 1/16 = 5/24) it would be
    #   2·(1 - (5/24)/(1/3)) = 3/4 = 75 %: not Moodle's number, which weighs q's 4 points twice p's 2.
    assert t.alpha == approx(100 * 24 / 31)
    assert t.alpha != approx(75)
    # SD of the scores = (100/6)·√(31/12) (totals over 6 points); error ratio √(7/31); SE = their product.
    assert t.sd == approx(100 / 6 * math.sqrt(31 / 12))
    assert t.error_ratio == approx(100 * math.sqrt(7 / 31))
    assert t.standard_error == approx(100 / 6 * math.sqrt(31 / 12) * math.sqrt(7 / 31))


def test_rest_is_a_fraction_of_the_rest_points_with_random_draws() -> None:
    # Three attempts drew different companions for question k:
    #     A: k 1/1, a 1/1            rest 1 of 1 → 1
    #     B: k 0/1, b 1/2            rest 1 of 2 → 1/2
    #     C: k 1/1, b 2/2, c 1/2     rest 3 of 4 → 3/4
    rs = make({"A": {"k": (1, 1), "a": (1, 1)}, "B": {"k": (0, 1), "b": (1, 2)}, "C": {"k": (1, 1), "b": (2, 2), "c": (1, 2)}})
    k = by_id(item_stats(rs))["k"]
    # x = 1, 0, 1 (x̄ = 2/3; x - x̄ = 1/3, -2/3, 1/3; Sxx = 6/9 = 2/3); y = 1, 1/2, 3/4 (ȳ = 3/4; y - ȳ = 1/4, -1/4, 0; Syy = 1/8).
    #   Sxy = 1/12 + 1/6 + 0 = 1/4; r = (1/4)/√(2/3 · 1/8) = (1/4)·√12 = √3/2 = 0.86603 → 86.603 %.
    #   (On raw rest marks 1, 1, 3 it would be r = (2/3)/√(2/3 · 24/9) = 1/2: the scale matters once rests differ.)
    assert k.discrimination == approx(100 * math.sqrt(3) / 2)
    # Sorted pairing: x = 0, 1, 1 with y = 1/2, 3/4, 1: Sxy_max = (-2/3)(-1/4) + (1/3)(0) + (1/3)(1/4) = 1/4 → 100 %.
    assert k.efficiency == approx(100)
    assert k.attempts == 3
    assert by_id(item_stats(rs))["b"].attempts == 2
    # Attempts saw different questions: no fixed form, so no alpha (and no error ratio or standard error) …
    t = stats.test_stats(rs)
    assert t.attempts == 3 and t.sd is not None
    assert t.alpha is None and t.error_ratio is None and t.standard_error is None
    # … and the questions all three share is only k, too few for alpha on the sub-test either.
    assert common_questions(rs) == {"k"}
    assert stats.test_stats([r for r in rs if r.question_id in common_questions(rs)]).alpha is None


def test_alpha_of_the_shared_questions_is_a_separate_call() -> None:
    # FOUR plus a different extra question per attempt: alpha of the whole is undefined,
    # alpha of the shared part is FOUR's 12/19.
    extra = [Response(a, f"x-{a}", Fraction(1), Fraction(1)) for a in "ABCD"]
    both = [*FOUR, *extra]
    assert stats.test_stats(both).alpha is None
    assert common_questions(both) == {"q1", "q2", "q3"}
    shared = [r for r in both if r.question_id in common_questions(both)]
    assert stats.test_stats(shared).alpha == approx(100 * 12 / 19)


def test_a_single_attempt_leaves_spread_undefined() -> None:
    rs = make({"A": {"q1": (1, 1), "q2": (Fraction(1, 2), 1)}})
    q1, q2 = item_stats(rs)
    assert (q1.facility, q2.facility) == (100, 50)
    for item in (q1, q2):
        assert item.sd is None and item.discrimination is None and item.efficiency is None
        assert item.review == ()
    t = stats.test_stats(rs)
    assert (t.attempts, t.mean, t.median) == (1, 75, 75)
    assert t.sd is None and t.alpha is None and t.error_ratio is None and t.standard_error is None


def test_no_variance_in_the_item_or_the_rest_gives_none() -> None:
    # "same": everyone right (item variance 0). "moves" varies, but its rest is "same" alone, constant.
    rs = zero_one({"A": (1, 1), "B": (1, 0), "C": (1, 1)}, ("same", "moves"))
    moves, same = item_stats(rs)  # sorted by id
    assert same.sd == 0 and same.facility == 100
    assert same.discrimination is None and same.efficiency is None
    assert moves.sd is not None and moves.discrimination is None and moves.efficiency is None


def test_degenerate_inputs() -> None:
    assert item_stats([]) == []
    empty = stats.test_stats([])
    assert empty == stats.TestStats(0, None, None, None, None, None, None)
    assert common_questions([]) == frozenset()
    # One question only: no rest, no alpha (k = 1).
    solo = zero_one({"A": (1,), "B": (0,), "C": (1,)}, ("only",))
    only = item_stats(solo)[0]
    assert only.facility == approx(200 / 3) and only.discrimination is None and only.efficiency is None
    assert stats.test_stats(solo).alpha is None
    # Everyone scores the same total: σ²ₜ = 0, alpha undefined, SD 0.
    flat = zero_one({"A": (1, 0), "B": (0, 1)}, ("a", "b"))
    t = stats.test_stats(flat)
    assert t.sd == 0 and t.alpha is None and t.error_ratio is None and t.standard_error is None
    # A question worth 0 points has no facility; it counts as shown but stays out of the fractions.
    zero = make({"A": {"z": (0, 0), "a": (1, 1)}, "B": {"z": (0, 0), "a": (0, 1)}})
    z = by_id(item_stats(zero))["z"]
    assert z.attempts == 2 and z.facility is None and z.sd is None and z.discrimination is None


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        item_stats([Response("A", "q", Fraction(1), Fraction(1)), Response("A", "q", Fraction(0), Fraction(1))])
    with pytest.raises(ValueError, match="negative"):
        stats.test_stats([Response("A", "q", Fraction(0), Fraction(-1))])


def test_items_are_sorted_by_question_id() -> None:
    rs = make({"A": {"b": (1, 1), "a": (0, 1), "c10": (1, 1), "c2": (0, 1)}})
    assert [i.question_id for i in item_stats(rs)] == ["a", "b", "c10", "c2"]


# Six attempts, strongest first. "easy" everyone gets; "trap" the three strongest get wrong and the
# three weakest right; "hard" only the strongest gets (1/6 = 16.7 %).
#
#          easy  a  b  c  trap  hard
#     S1     1   1  1  1   0     1
#     S2     1   1  1  1   0     0
#     S3     1   1  1  0   0     0
#     S4     1   1  0  0   1     0
#     S5     1   0  0  0   1     0
#     S6     1   0  0  0   1     0
SIX = zero_one(
    {"S1": (1, 1, 1, 1, 0, 1), "S2": (1, 1, 1, 1, 0, 0), "S3": (1, 1, 1, 0, 0, 0),
     "S4": (1, 1, 0, 0, 1, 0), "S5": (1, 0, 0, 0, 1, 0), "S6": (1, 0, 0, 0, 1, 0)},
    ("easy", "a", "b", "c", "trap", "hard"),
)


def test_review_flags() -> None:
    items = by_id(item_stats(SIX))
    assert len(SIX) // 6 >= MIN_ATTEMPTS
    # Everyone right: facility 100 > 95. Its discrimination is undefined (no variance), so no flag for it.
    assert items["easy"].review == ("facility > 95%",)
    assert items["easy"].discrimination is None
    # The strongest get it wrong: x = 0,0,0,1,1,1 against rests 5,4,3,2,1,1 (of 5) → negative correlation.
    trap = items["trap"]
    assert trap.discrimination is not None and trap.discrimination < 0
    assert trap.review == ("discrimination < 0.2",)
    # hard: facility 100/6 = 16.7 % < 20. x = 1,0,0,0,0,0 against rests 4,4,3,3,2,2 (of 5; raw marks, the
    #   common 1/5 cancels in r): x - x̄ = 5/6, -1/6, …; ȳ = 3, y - ȳ = 1, 1, 0, 0, -1, -1.
    #   Sxy = 5/6·1 + (-1/6)(1 + 0 + 0 - 1 - 1) = 5/6 + 1/6 = 1; Sxx = 25/36 + 5·1/36 = 5/6; Syy = 4.
    #   r = 1/√(5/6 · 4) = √(3/10) = 0.54772 → 54.8 %, not weak.
    hard = items["hard"]
    assert hard.facility == approx(100 / 6)
    assert hard.discrimination == approx(100 * math.sqrt(3 / 10))
    assert hard.review == ("facility < 20%",)
    for q in ("a", "b", "c"):
        assert items[q].review == (), q


def test_no_flags_below_min_attempts() -> None:
    # Four attempts: the same everyone-right and strongest-wrong patterns name nothing yet.
    rs = zero_one({"A": (1, 1, 0), "B": (1, 1, 0), "C": (1, 0, 1), "D": (1, 0, 1)}, ("easy", "good", "trap"))
    items = by_id(item_stats(rs))
    assert items["easy"].facility == 100
    assert items["trap"].discrimination is not None and items["trap"].discrimination < 0
    assert all(i.review == () for i in items.values())


def test_cross_check_against_the_statistics_module() -> None:
    # A random 30 × 8 matrix with partial credit: question j is worth j % 3 + 1 points, scored in halves,
    # each attempt with its own ability so that the questions hang together (alpha well above 0).
    rng = random.Random(20240601)
    k, n = 8, 30
    points = [j % 3 + 1 for j in range(k)]
    marks: list[list[Fraction]] = []
    for _ in range(n):
        ability = rng.random()
        marks.append([Fraction(sum(rng.random() < ability for _ in range(2 * p)), 2) for p in points])
    rs = [Response(f"a{i:02}", f"q{j}", marks[i][j], Fraction(points[j])) for i in range(n) for j in range(k)]

    columns = [[float(row[j]) for row in marks] for j in range(k)]
    totals = [float(sum(row)) for row in marks]
    var_t = statistics.variance(totals)
    # α = k/(k-1)·(1 - Σσ²ᵢ/σ²ₜ), and the same from the covariances: α = k/(k-1)·Σ_{i≠j} cov(i, j)/σ²ₜ.
    alpha = k / (k - 1) * (1 - sum(statistics.variance(c) for c in columns) / var_t)
    off_diagonal = sum(statistics.covariance(columns[i], columns[j]) for i in range(k) for j in range(k) if i != j)
    assert k / (k - 1) * off_diagonal / var_t == approx(alpha)
    assert 0.5 < alpha < 1

    t = stats.test_stats(rs)
    scores = [100 * s / sum(points) for s in totals]
    assert t.attempts == n
    assert t.alpha == approx(100 * alpha)
    assert t.mean == approx(statistics.mean(scores))
    assert t.median == approx(statistics.median(scores))
    assert t.sd == approx(statistics.stdev(scores))
    assert t.error_ratio == approx(100 * math.sqrt(1 - alpha))
    assert t.standard_error == approx(math.sqrt(1 - alpha) * statistics.stdev(scores))

    for j, item in enumerate(item_stats(rs)):
        assert item.question_id == f"q{j}"
        x = [c / points[j] for c in columns[j]]
        rest = [(tot - c) / (sum(points) - points[j]) for tot, c in zip(totals, columns[j], strict=True)]
        assert item.facility == approx(100 * statistics.mean(x))
        assert item.sd == approx(100 * statistics.stdev(x))
        assert item.discrimination == approx(100 * statistics.correlation(x, rest))
        c_max = statistics.covariance(sorted(x), sorted(rest))
        assert item.efficiency == approx(100 * statistics.covariance(x, rest) / c_max)
