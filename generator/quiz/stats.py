"""Question-bank statistics: Moodle's quiz item analysis, as pure functions (docs/statistics.md).

The definitions are those of Moodle's developer page "Quiz statistics calculations" and the
help page "Quiz report statistics", checked against Moodle's code
(``question/classes/statistics/questions/calculator.php`` for the item statistics,
``mod/quiz/report/statistics/classes/calculator.php`` for the test statistics). Every mean,
variance and covariance is computed exactly with ``Fraction``; only square roots and the final
percentages are floats. Variances and covariances are sample ones (divided by n - 1), as Moodle's.

Per question i, over the attempts that were shown it (one ``Response`` each):

* facility F = 100 * mean(x_i), where x_i = earned / points is the fraction of the question's
  points earned (Moodle: mean mark / max mark);
* sd = 100 * stdev(x_i) (Moodle: SD of the marks / max mark);
* discrimination D = 100 * r(x_i, y_i), Pearson's correlation between the question and the REST
  of the test, y_i = (attempt's earned - question's earned) / (attempt's points - question's points);
* efficiency DE = 100 * C(x_i, y_i) / C_max(x_i, y_i), where C_max pairs the sorted x_i with the
  sorted y_i: the largest covariance, hence the largest D, that the two sets of scores could have
  whatever the pairing of scores to attempts. Equivalently DE = D / D_max.

Scaling. Moodle correlates raw marks: the question's mark and the attempt's total minus it.
Pearson's r and the ratio C / C_max do not change when either variable is multiplied by a
positive constant, so dividing by the question's points and by the rest's points gives exactly
Moodle's numbers whenever those maxima are the same in every attempt (a fixed form). We follow
Moodle there, and keep the division when random draws give attempts rests of different size, so
an attempt whose rest is worth 18 points and one whose rest is worth 30 are compared on the same
0..1 scale. Moodle does not meet this case per question: for a question drawn into a random slot
it correlates the question with the attempt's whole total (the question included); here it is
always the rest, as for a fixed question.

Per test: each attempt's score is 100 * earned / points (docs/grading.md); mean, median and sample
SD are of those scores. Cronbach's alpha, Moodle's coefficient of internal consistency, is
CIC = 100 * k / (k - 1) * (1 - sum_i V(m_i) / V(T)) over the k questions, m_i being the marks
earned on question i and T = sum_i m_i the attempt's total marks (Moodle uses marks, not
fractions, so a 4-point question weighs four times a 1-point one). Error ratio
ER = 100 * sqrt(1 - CIC / 100); standard error SE = ER / 100 * SD, in percentage points.

Random draws. Alpha needs a fixed set of k items whose variances add up, with their covariances,
to the variance of the totals. Moodle gets it by taking each quiz position (slot) as an item,
whichever question filled it; a ``Response`` carries no position, so that is not possible here.
So alpha (and with it the error ratio and standard error) is computed only when every attempt was
shown the same questions with the same points; otherwise it is None. It is not computed over
the questions every attempt happened to share, because that would be the reliability of a
shorter test than the one whose mean and SD are reported. To get it for that shorter test, ask
for it: ``test_stats([r for r in rs if r.question_id in common_questions(rs)])`` -- then mean,
SD, alpha and the standard error all describe the same sub-score. The item statistics need no
fixed form: each question is analysed over the attempts that saw it.

Undefined statistics are None, never a division error: SD with fewer than 2 attempts; D and DE
with fewer than 2 usable attempts or when the question's or the rest's scores do not vary;
facility when the question is worth 0 points; alpha with fewer than 2 attempts, fewer than 2
questions, or totals that do not vary. A response worth 0 points has no fraction and is left out
of its question's statistics (it still counts in ``attempts``); an attempt whose rest is worth 0
points (it saw only this question) is left out of the question's D and DE.

Review. A question with at least MIN_ATTEMPTS attempts is named for review with "facility < 20%"
(difficult or worse in Moodle's guidance), "facility > 95%" (extremely easy), and
"discrimination < 0.2" (D below 20%, i.e. a correlation below 0.2; only when D is computable).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

MIN_ATTEMPTS = 5
LOW_FACILITY = 20  # percent
HIGH_FACILITY = 95  # percent
LOW_DISCRIMINATION = 20  # percent: a correlation of 0.2

FLAG_HARD = "facility < 20%"
FLAG_EASY = "facility > 95%"
FLAG_WEAK = "discrimination < 0.2"


@dataclass(frozen=True)
class Response:
    """One graded question of one attempt."""

    attempt_id: str
    question_id: str
    earned: Fraction
    points: Fraction


@dataclass(frozen=True)
class ItemStats:
    """Moodle's item statistics of one question; percentages, None where undefined."""

    question_id: str
    attempts: int  # attempts that were shown this question
    facility: float | None  # mean fraction of the question's points earned, 0..100
    sd: float | None  # sample SD of the fractions earned, as a percentage
    discrimination: float | None  # 100 * Pearson r between the question and the rest of the test
    efficiency: float | None  # 100 * covariance / the largest covariance the two score sets allow
    review: tuple[str, ...]  # FLAG_HARD, FLAG_EASY, FLAG_WEAK, in that order, as they apply


@dataclass(frozen=True)
class TestStats:
    """Moodle's test statistics; percentages (SE in percentage points), None where undefined."""

    __test__ = False  # a result type, not a pytest test class

    attempts: int
    mean: float | None
    median: float | None
    sd: float | None
    alpha: float | None  # Cronbach's alpha, Moodle's coefficient of internal consistency (CIC)
    error_ratio: float | None  # 100 * sqrt(1 - CIC / 100)
    standard_error: float | None  # error_ratio / 100 * sd


def _attempts(responses: Iterable[Response]) -> dict[str, dict[str, Response]]:
    """Return attempt id -> question id -> response, checking each question is graded once per attempt."""
    attempts: dict[str, dict[str, Response]] = {}
    for r in responses:
        if r.points < 0:
            raise ValueError(f"attempt {r.attempt_id!r}, question {r.question_id!r}: points must not be negative")
        shown = attempts.setdefault(r.attempt_id, {})
        if r.question_id in shown:
            raise ValueError(f"attempt {r.attempt_id!r} has question {r.question_id!r} twice")
        shown[r.question_id] = r
    return attempts


def _covariance(xs: Sequence[Fraction], ys: Sequence[Fraction]) -> Fraction:
    """Sample covariance, exact; the caller guarantees at least two pairs."""
    n = len(xs)
    mx = sum(xs, Fraction(0)) / n
    my = sum(ys, Fraction(0)) / n
    return sum(((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)), Fraction(0)) / (n - 1)


def _sd_percent(values: Sequence[Fraction]) -> float | None:
    """100 * the sample SD of `values`; None with fewer than two."""
    if len(values) < 2:
        return None
    return 100 * math.sqrt(statistics.variance(values))


def _discrimination(xs: Sequence[Fraction], ys: Sequence[Fraction]) -> tuple[float | None, float | None]:
    """Return (100 * r(x, y), 100 * C(x, y) / C_max(x, y)); None where undefined."""
    if len(xs) < 2:
        return None, None
    vx = _covariance(xs, xs)
    vy = _covariance(ys, ys)
    if vx == 0 or vy == 0:
        return None, None
    c = _covariance(xs, ys)
    r = math.copysign(math.sqrt(c * c / (vx * vy)), c)
    # Sorting both lists pairs the smallest with the smallest ...: by the rearrangement inequality
    # no pairing gives a larger covariance, and it is positive because neither list is constant.
    c_max = _covariance(sorted(xs), sorted(ys))
    return 100 * r, float(100 * c / c_max)


def _review(attempts: int, facility: float | None, discrimination: float | None) -> tuple[str, ...]:
    if attempts < MIN_ATTEMPTS:
        return ()
    flags: list[str] = []
    if facility is not None and facility < LOW_FACILITY:
        flags.append(FLAG_HARD)
    if facility is not None and facility > HIGH_FACILITY:
        flags.append(FLAG_EASY)
    if discrimination is not None and discrimination < LOW_DISCRIMINATION:
        flags.append(FLAG_WEAK)
    return tuple(flags)


def item_stats(responses: Sequence[Response]) -> list[ItemStats]:
    """Return the statistics of every question in `responses`, sorted by question id."""
    attempts = _attempts(responses)
    totals = {
        a: (sum((r.earned for r in shown.values()), Fraction(0)), sum((r.points for r in shown.values()), Fraction(0)))
        for a, shown in attempts.items()
    }
    by_question: dict[str, list[Response]] = {}
    for shown in attempts.values():
        for r in shown.values():
            by_question.setdefault(r.question_id, []).append(r)

    result: list[ItemStats] = []
    for qid in sorted(by_question):
        seen = by_question[qid]
        fractions = [r.earned / r.points for r in seen if r.points > 0]
        xs: list[Fraction] = []
        ys: list[Fraction] = []
        for r in seen:
            earned, points = totals[r.attempt_id]
            rest_points = points - r.points
            if r.points > 0 and rest_points > 0:
                xs.append(r.earned / r.points)
                ys.append((earned - r.earned) / rest_points)
        facility = float(100 * statistics.mean(fractions)) if fractions else None
        discrimination, efficiency = _discrimination(xs, ys)
        result.append(
            ItemStats(
                question_id=qid,
                attempts=len(seen),
                facility=facility,
                sd=_sd_percent(fractions),
                discrimination=discrimination,
                efficiency=efficiency,
                review=_review(len(seen), facility, discrimination),
            )
        )
    return result


def common_questions(responses: Sequence[Response]) -> frozenset[str]:
    """Return the ids of the questions every attempt in `responses` was shown."""
    sets = [frozenset(shown) for shown in _attempts(responses).values()]
    return frozenset.intersection(*sets) if sets else frozenset()


def _alpha(attempts: dict[str, dict[str, Response]]) -> Fraction | None:
    """Cronbach's alpha (a fraction, not a percentage) in marks; None unless one fixed form of k >= 2."""
    forms = {frozenset((q, r.points) for q, r in shown.items()) for shown in attempts.values()}
    if len(attempts) < 2 or len(forms) != 1:
        return None
    questions = sorted(attempts[next(iter(attempts))])
    k = len(questions)
    if k < 2:
        return None
    totals = [sum((r.earned for r in shown.values()), Fraction(0)) for shown in attempts.values()]
    total_variance = statistics.variance(totals)
    if total_variance == 0:
        return None
    item_variance = sum(
        (statistics.variance([shown[q].earned for shown in attempts.values()]) for q in questions), Fraction(0)
    )
    return Fraction(k, k - 1) * (1 - item_variance / total_variance)


def test_stats(responses: Sequence[Response]) -> TestStats:
    """Return the statistics of the attempts' scores and Cronbach's alpha (see the module docstring)."""
    attempts = _attempts(responses)
    scores: list[Fraction] = []
    for shown in attempts.values():
        points = sum((r.points for r in shown.values()), Fraction(0))
        if points > 0:
            scores.append(100 * sum((r.earned for r in shown.values()), Fraction(0)) / points)
    mean = float(statistics.mean(scores)) if scores else None
    median = float(statistics.median(scores)) if scores else None
    sd = math.sqrt(statistics.variance(scores)) if len(scores) >= 2 else None
    alpha = _alpha(attempts)
    error_ratio = None if alpha is None else 100 * math.sqrt(max(Fraction(0), 1 - alpha))
    standard_error = None if error_ratio is None or sd is None else error_ratio / 100 * sd
    return TestStats(
        attempts=len(attempts),
        mean=mean,
        median=median,
        sd=sd,
        alpha=None if alpha is None else float(100 * alpha),
        error_ratio=error_ratio,
        standard_error=standard_error,
    )
