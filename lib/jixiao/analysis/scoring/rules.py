"""Scoring rules of one indicator: the execution rate, quantitative and qualitative targets.

These are the rules a project self-evaluation applies row by row (:mod:`jixiao.analysis.scoring.project`
adds them up); any other evaluation that scores a target against an actual should call
them rather than restate them. The scheme (:class:`~jixiao.analysis.scoring.scheme.Scheme`)
supplies the points, the variants and the bands; scores keep full precision.

Rules (from the domain brief, shared/domain.md)
-----------------------------------------------
- 预算执行率: score = points × spent ÷ budget, at most the points.
- ``≥`` (positive): points × min(actual ÷ target, 1); target 0 → full points for actual ≥ 0.
- ``≤`` (negative): full points when actual ≤ target; beyond it the scheme's variant,
  ``ratio`` points × target ÷ actual, or ``linear`` points × max(0, 1 − (actual − target)
  ÷ target), which reaches 0 at twice the target. Target 0: any excess scores 0.
- ``=`` (equal): full points when actual equals the target (relative 1e-9); below it the
  positive rule; above it, by the scheme's ``equal_above``: ``negative`` (the scheme's
  negative rule: a miss either way loses points) or ``full`` (overshooting is no miss).
- 定性: the actual is a grade (达成 / 部分达成 / 未达成, with aliases such as 完成,
  基本达成, 未完成, 达成预期指标); the score is the scheme's ``position`` (top / middle /
  bottom) in that grade's band of the points.
- A missing actual scores 0 with the reason 实际值未提供: leaving it out of the total
  would hide non-performance.
- Optional, per scheme: a deduction for a positive target overshot by ≥ 30 % (目标设定偏低).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from jixiao.analysis.scoring.scheme import QualitativeGrade, Scheme, ScoringError, load_scheme
from jixiao.analysis.scoring.targets import GE, LE, Target, TargetParseError, parse_target, parse_value
from jixiao.rounding import fmt_pct
from jixiao.values import is_blank, plain
from jixiao.workbook.cells import compact

# How a reported grade may be spelled. 未… is tried before the bare word, 部分/基本 before
# 达成, because "未达成" and "部分达成" contain "达成". A grade may be followed by the
# wording of the national self-evaluation table (达成年度指标, 部分达成预期目标并具有一定效果).
_GRADE_WORDS: tuple[tuple[str, QualitativeGrade], ...] = (
    ("未达成", "未达成"),
    ("未完成", "未达成"),
    ("未实现", "未达成"),
    ("没有达成", "未达成"),
    ("没有完成", "未达成"),
    ("部分达成", "部分达成"),
    ("基本达成", "部分达成"),
    ("部分完成", "部分达成"),
    ("基本完成", "部分达成"),
    ("部分实现", "部分达成"),
    ("基本实现", "部分达成"),
    ("全部达成", "达成"),
    ("全部完成", "达成"),
    ("已达成", "达成"),
    ("已完成", "达成"),
    ("已实现", "达成"),
    ("达成", "达成"),
    ("完成", "达成"),
    ("实现", "达成"),
)
_GRADE_TAIL = re.compile(r"(?:(?:年度|预期)?(?:指标|目标)值?)?(?:[并且，,；;].*)?")
#: What people write in an actual-value cell for "no data"; read as blank.
_NO_DATA_MARKS = {"-", "—", "——", "/", "／", "未提供", "无数据"}
_REL_TOL = 1e-9


@dataclass(frozen=True)
class IndicatorScore:
    """The score of one indicator (or of the execution rate).

    Attributes
    ----------
    score : float or None
        Full precision, in [0, points]; ``None`` only when it cannot be computed
        (execution rate without a budget).
    points : float
        The indicator's points (分值).
    rule : str
        Short Chinese name of the rule applied.
    lost_reason : str
        Why points were lost, in Chinese; ``""`` when none were.
    rate : float or None
        Execution rate or completion rate (实际 ÷ 目标) in percentage points; ``None`` when
        it has no meaning (qualitative, target 0, missing figure).
    grade : str or None
        The canonical qualitative grade (达成 / 部分达成 / 未达成), for 定性 indicators.
    deduction : float
        Points taken off by the overshoot rule (already subtracted from ``score``).
    """

    score: float | None
    points: float
    rule: str
    lost_reason: str = ""
    rate: float | None = None
    grade: str | None = None
    deduction: float = 0.0

    @property
    def lost(self) -> float | None:
        """Points lost (分值 − 得分)."""
        return None if self.score is None else self.points - self.score


def score_execution(
    budget: float | None,
    spent: float | None,
    points: float | None = None,
    scheme: Scheme | str = "national",
) -> IndicatorScore:
    """Score the budget execution rate (预算执行率).

    Parameters
    ----------
    budget : float or None
        全年预算数 (adjusted budget including carry-over), 万元.
    spent : float or None
        全年执行数, 万元.
    points : float, optional
        The execution rate's points; the scheme's ``weights.预算执行率`` when omitted.
    scheme : Scheme or str
        Scheme or scheme name/path.

    Returns
    -------
    IndicatorScore
        score = points × spent ÷ budget, at most the points (rates above 100 % occur);
        ``None`` with reason 预算数未提供 when the budget is missing or 0.
    """
    scheme = load_scheme(scheme)
    pts = scheme.execution_points if points is None else float(points)
    rule = "预算执行率：得分=分值×执行率，最高为分值"
    if budget is None or is_missing(budget) or float(budget) == 0:
        return IndicatorScore(None, pts, rule, "预算数未提供")
    budget = float(budget)
    if budget < 0:
        raise ScoringError(f"预算数不能为负：{budget}")
    if spent is None or is_missing(spent):
        return IndicatorScore(0.0, pts, rule, "执行数未提供")
    ratio = float(spent) / budget
    score = pts * _unit_interval(ratio)
    reason = "" if score >= pts else f"预算执行率{fmt_pct(ratio * 100)}，未达100%"
    return IndicatorScore(score, pts, rule, reason, rate=ratio * 100)


def score_indicator(
    target: Target | str | float,
    actual: Any,
    points: float,
    scheme: Scheme | str = "national",
    direction: str | None = None,
) -> IndicatorScore:
    """Score one performance indicator.

    Parameters
    ----------
    target : Target, str or number
        The target; text and numbers go through :func:`jixiao.analysis.scoring.targets.parse_target`.
    actual : number, str or None
        实际完成值: a number (``4``, ``"4次"``, ``"95%"``) for a quantitative target, a
        grade (``达成``, ``部分达成``, ``未达成`` or an alias) for a qualitative one;
        ``None`` / blank when not provided.
    points : float
        The indicator's points.
    scheme : Scheme or str
        Scheme or scheme name/path.
    direction : str, optional
        指标方向, used when ``target`` is text without a comparator.

    Returns
    -------
    IndicatorScore

    Raises
    ------
    TargetParseError
        The target cannot be read.
    ScoringError
        A negative target, an actual that does not fit the target (a grade for a number,
        a number for a grade, different units).
    """
    scheme = load_scheme(scheme)
    t = target if isinstance(target, Target) else parse_target(target, direction)
    pts = float(points)
    if pts < 0:
        raise ScoringError(f"分值不能为负：{pts}")

    if t.is_qualitative:
        return _score_qualitative(t, actual, pts, scheme)

    rule = _rule_name(t.comparator, scheme)
    if is_missing(actual):
        return IndicatorScore(0.0, pts, rule, "实际值未提供")
    a = _actual_number(actual, t)
    assert t.value is not None  # only a qualitative target has no number
    tv = float(t.value)
    if tv < 0:
        raise ScoringError(f"目标值“{t.text}”为负数，比例计分规则不适用")
    rate = a / tv * 100 if tv else None

    miss = ""
    if t.comparator == GE:
        fraction, miss = positive_fraction(a, tv), "未达目标"
    elif t.comparator == LE:
        fraction, miss = negative_fraction(a, tv, scheme.negative_rule), "超出目标"
    elif _equal(a, tv):
        fraction = 1.0
    elif a < tv:
        fraction, miss = positive_fraction(a, tv), "低于目标"
    elif scheme.equal_above == "full":
        fraction = 1.0
    else:
        fraction, miss = negative_fraction(a, tv, scheme.negative_rule), "高于目标"
    reason = "" if fraction >= 1 else f"{miss}：实际{plain_figure(a)}{t.unit}，目标{t.text}"

    score = pts * _unit_interval(fraction)
    deduction = 0.0
    # the tolerance lets 3.9 against 3 count as 30 % over, as written, despite binary floats
    if (
        scheme.overshoot is not None
        and t.comparator == GE
        and tv > 0
        and (a - tv) / tv * 100 >= scheme.overshoot.excess_pct * (1 - _REL_TOL)
    ):
        deduction = min(score, pts * scheme.overshoot.deduct)
        score -= deduction
        reason = f"目标设定偏低（超额≥{plain_figure(scheme.overshoot.excess_pct)}%）"
    return IndicatorScore(score, pts, rule, reason, rate=rate, deduction=deduction)


def _rule_name(comparator: str, scheme: Scheme) -> str:
    neg = {"ratio": "分值×目标/实际", "linear": "分值×max(0,1−(实际−目标)/目标)"}[scheme.negative_rule]
    if comparator == GE:
        return "正向指标：得分=分值×min(实际/目标,1)"
    if comparator == LE:
        return f"反向指标：超出目标时得分={neg}"
    if scheme.equal_above == "full":
        return "等值指标：不低于目标得满分，低于时得分=分值×实际/目标"
    return f"等值指标：等于目标得满分，低于时得分=分值×实际/目标，高于时得分={neg}"


def positive_fraction(actual: float, target: float) -> float:
    """Share of the points a positive (``≥``) target earns, before clamping to [0, 1].

    Parameters
    ----------
    actual, target : float
        实际值 and 目标值 in the same unit; the target is not negative.

    Returns
    -------
    float
        min(actual ÷ target, 1); for target 0 (nothing was asked) 1 when actual ≥ 0,
        else 0. Negative for a negative actual: the caller clamps.

    Examples
    --------
    >>> positive_fraction(40, 50), positive_fraction(60, 50), positive_fraction(0, 0)
    (0.8, 1.0, 1.0)
    """
    if target == 0:
        return 1.0 if actual >= 0 else 0.0  # nothing was asked; only a negative result misses
    return min(actual / target, 1.0)


def negative_fraction(actual: float, target: float, variant: str) -> float:
    """Share of the points a negative (``≤``) target earns.

    Parameters
    ----------
    actual, target : float
        实际值 and 目标值 in the same unit; the target is not negative.
    variant : {'ratio', 'linear'}
        The scheme's ``negative_rule``.

    Returns
    -------
    float
        1 when actual ≤ target; beyond it target ÷ actual (``ratio``) or
        max(0, 1 − (actual − target) ÷ target) (``linear``, 0 at twice the target);
        0 for any excess over a target of 0.

    Examples
    --------
    >>> negative_fraction(20, 10, "ratio"), negative_fraction(20, 10, "linear")
    (0.5, 0.0)
    >>> negative_fraction(9, 10, "linear"), negative_fraction(1, 0, "ratio")
    (1.0, 0.0)
    """
    if actual <= target:
        return 1.0
    if target == 0:
        return 0.0  # "0 起" targets: any excess is a full miss under both variants
    if variant == "ratio":
        return target / actual
    return max(0.0, 1.0 - (actual - target) / target)


def _equal(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=_REL_TOL, abs_tol=1e-12)


def _score_qualitative(t: Target, actual: Any, pts: float, scheme: Scheme) -> IndicatorScore:
    q = scheme.qualitative
    pos = {"top": "上限", "middle": "中点", "bottom": "下限"}[q.position]
    rule = f"定性指标：达成/部分达成/未达成按区间{pos}取分"
    if is_missing(actual):
        return IndicatorScore(0.0, pts, rule, "实际值未提供")
    g = canonical_grade(actual)
    high, low = q.bands[g]
    share = {"top": high, "middle": (high + low) / 2, "bottom": low}[q.position]
    score = pts * share
    band = f"{plain_figure(high * 100)}%–{plain_figure(low * 100)}%"
    reason = "" if score >= pts else f"{g}（区间{band}，取{pos}）"
    return IndicatorScore(score, pts, f"{rule}（{g}：{band}）", reason, grade=g)


def canonical_grade(actual: Any) -> QualitativeGrade:
    """Map a reported qualitative result to 达成 / 部分达成 / 未达成.

    Parameters
    ----------
    actual : str
        ``达成``, ``完成``, ``基本达成``, ``未完成``, ``达成预期指标``,
        ``部分达成年度指标并具有一定效果`` …

    Returns
    -------
    {'达成', '部分达成', '未达成'}

    Raises
    ------
    ScoringError
        For anything else (a number, ``较好`` …): the grade must be stated, not guessed.
    """
    s = compact(actual)
    for word, grade_ in _GRADE_WORDS:
        if s.startswith(word) and _GRADE_TAIL.fullmatch(s[len(word) :]):
            return grade_
    raise ScoringError(f"定性指标的实际值“{actual}”应为 达成、部分达成 或 未达成（或 完成、基本达成、未完成 等）")


def _actual_number(actual: Any, t: Target) -> float:
    try:
        value, unit = parse_value(actual)
    except TargetParseError:
        raise ScoringError(f"目标值为“{t.text}”，实际值“{actual}”应为数字") from None
    if unit and t.unit and unit != t.unit:
        raise ScoringError(f"实际值“{actual}”的单位与目标值“{t.text}”的单位不一致")
    return value


def is_missing(x: Any) -> bool:
    """No value: a blank cell, or a mark people write for "no data" (—, /, 无数据).

    Examples
    --------
    >>> is_missing(None), is_missing(" — "), is_missing(0)
    (True, True, False)
    """
    return is_blank(x) or (isinstance(x, str) and x.strip() in _NO_DATA_MARKS)


def _unit_interval(fraction: float) -> float:
    # Clamp the fraction, not the score: a tiny target makes actual ÷ target ±inf, and
    # 0 points × inf would be NaN.
    return min(max(fraction, 0.0), 1.0)


def plain_figure(x: float) -> str:
    """A figure as people write it: 4, 85.5, 0.3333 (up to four decimals, no trailing zeros)."""
    return plain(x, 4)
